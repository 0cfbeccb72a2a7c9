using ModelRunner.Engine.Gguf;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Quantization;

/// <summary>Quantizes GGUF models with llama.cpp (<c>llama_model_quantize</c>). Thread-safe.</summary>
public static class ModelQuantizer
{
    /// <summary>The types a test model can be quantized to from F32 or F16.</summary>
    public static IReadOnlyList<LlamaFileType> Supported { get; } = [LlamaFileType.Q8_0, LlamaFileType.Q4_K_M];

    /// <summary>
    /// Writes <paramref name="input"/> quantized to <paramref name="type"/> as <paramref name="output"/>.
    /// The output appears complete or not at all (written beside it, then renamed). Tensors whose
    /// rows do not fit the type's block size fall back to a compatible type, as llama.cpp decides.
    /// Blocks for as long as quantizing takes.
    /// </summary>
    /// <exception cref="InvalidOperationException">llama.cpp failed; the message carries its reason.</exception>
    public static void Quantize(string input, string output, LlamaFileType type, int? threads = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        ArgumentException.ThrowIfNullOrEmpty(output);
        LlamaLibrary.Load();

        var parameters = LlamaApi.llama_model_quantize_default_params();
        parameters.ftype = type;
        parameters.nthread = threads ?? Environment.ProcessorCount;
        var partial = output + ".partial";
        try
        {
            LlamaLibrary.TakeLastError();
            var status = LlamaApi.llama_model_quantize(input, partial, parameters);
            if (status != 0)
            {
                throw new InvalidOperationException($"llama.cpp could not quantize {input} to {type.ToDisplayName()}: {LlamaLibrary.TakeLastError() ?? $"status {status}"}");
            }

            File.Move(partial, output, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
