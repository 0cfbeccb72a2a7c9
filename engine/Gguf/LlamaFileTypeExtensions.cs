namespace ModelRunner.Engine.Gguf;

/// <summary>Display helpers for <see cref="LlamaFileType"/>.</summary>
public static class LlamaFileTypeExtensions
{
    /// <summary>
    /// The short quantization name Docker Model Runner shows: "F32", "F16", "BF16", "Q4_K_M", "IQ2_XXS" and so on.
    /// A type with the <see cref="LlamaFileType.Guessed"/> flag gets a " (guessed)" suffix; a value this build does
    /// not know becomes "unknown (N)" rather than throwing, because it comes from a file.
    /// </summary>
    public static string ToDisplayName(this LlamaFileType fileType)
    {
        if (fileType != LlamaFileType.Guessed && fileType.HasFlag(LlamaFileType.Guessed))
        {
            return $"{(fileType & ~LlamaFileType.Guessed).ToDisplayName()} (guessed)";
        }

        return fileType switch
        {
            LlamaFileType.AllF32 => "F32",
            LlamaFileType.MostlyF16 => "F16",
            LlamaFileType.MostlyBF16 => "BF16",
            LlamaFileType.Guessed => "GUESSED",
            // The other members are named exactly as the quantization is commonly written.
            _ when Enum.IsDefined(fileType) => fileType.ToString(),
            _ => $"unknown ({(uint)fileType})",
        };
    }
}
