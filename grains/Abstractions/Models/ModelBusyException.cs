namespace ModelRunner.Grains.Models;

/// <summary>A model cannot be changed now because it is serving requests (HTTP 409).</summary>
[GenerateSerializer, Alias("modelrunner.model-busy")]
public sealed class ModelBusyException : Exception
{
    public ModelBusyException(string model)
        : base($"model {model} is serving requests; its configuration can change once it is idle")
    {
    }

    public ModelBusyException()
    {
    }

    public ModelBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
