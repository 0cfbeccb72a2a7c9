namespace ModelRunner.Grains.Models;

/// <summary>A model cannot be changed now because it is serving requests (HTTP 409).</summary>
public sealed class ModelBusyException(string model)
    : Exception($"model {model} is serving requests; its configuration can change once it is idle")
{
}
