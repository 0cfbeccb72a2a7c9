using System.Diagnostics.CodeAnalysis;

namespace ModelRunner.Engine.Gguf;

/// <summary>
/// llama.cpp's overall quantization of a model (<c>llama_ftype</c>), stored as the uint32 metadata value
/// <c>general.file_type</c>. Most tensors have the named type; 1-d tensors (norms, biases) usually stay F32.
/// </summary>
[SuppressMessage("Design", "CA1028:Enum storage should be Int32", Justification = "general.file_type is a uint32 in GGUF.")]
public enum LlamaFileType : uint
{
    /// <summary>All tensors are F32.</summary>
    AllF32 = 0,

    /// <summary>Mostly F16.</summary>
    MostlyF16 = 1,

    /// <summary>Mostly Q4_0.</summary>
    Q4_0 = 2,

    /// <summary>Mostly Q4_1.</summary>
    Q4_1 = 3,

    /// <summary>Mostly Q8_0.</summary>
    Q8_0 = 7,

    /// <summary>Mostly Q5_0.</summary>
    Q5_0 = 8,

    /// <summary>Mostly Q5_1.</summary>
    Q5_1 = 9,

    /// <summary>Mostly Q2_K.</summary>
    Q2_K = 10,

    /// <summary>Q3_K, small mix.</summary>
    Q3_K_S = 11,

    /// <summary>Q3_K, medium mix.</summary>
    Q3_K_M = 12,

    /// <summary>Q3_K, large mix.</summary>
    Q3_K_L = 13,

    /// <summary>Q4_K, small mix.</summary>
    Q4_K_S = 14,

    /// <summary>Q4_K, medium mix.</summary>
    Q4_K_M = 15,

    /// <summary>Q5_K, small mix.</summary>
    Q5_K_S = 16,

    /// <summary>Q5_K, medium mix.</summary>
    Q5_K_M = 17,

    /// <summary>Mostly Q6_K.</summary>
    Q6_K = 18,

    /// <summary>Mostly IQ2_XXS.</summary>
    IQ2_XXS = 19,

    /// <summary>Mostly IQ2_XS.</summary>
    IQ2_XS = 20,

    /// <summary>Q2_K, small mix.</summary>
    Q2_K_S = 21,

    /// <summary>Mostly IQ3_XS.</summary>
    IQ3_XS = 22,

    /// <summary>Mostly IQ3_XXS.</summary>
    IQ3_XXS = 23,

    /// <summary>Mostly IQ1_S.</summary>
    IQ1_S = 24,

    /// <summary>Mostly IQ4_NL.</summary>
    IQ4_NL = 25,

    /// <summary>Mostly IQ3_S.</summary>
    IQ3_S = 26,

    /// <summary>IQ3_S, medium mix.</summary>
    IQ3_M = 27,

    /// <summary>Mostly IQ2_S.</summary>
    IQ2_S = 28,

    /// <summary>IQ2_S, medium mix.</summary>
    IQ2_M = 29,

    /// <summary>Mostly IQ4_XS.</summary>
    IQ4_XS = 30,

    /// <summary>Mostly IQ1_M.</summary>
    IQ1_M = 31,

    /// <summary>Mostly BF16.</summary>
    MostlyBF16 = 32,

    /// <summary>Mostly TQ1_0.</summary>
    TQ1_0 = 36,

    /// <summary>Mostly TQ2_0.</summary>
    TQ2_0 = 37,

    /// <summary>MXFP4 expert tensors in a mixture-of-experts model.</summary>
    MXFP4_MOE = 38,

    /// <summary>Mostly NVFP4.</summary>
    NVFP4 = 39,

    /// <summary>Mostly Q1_0.</summary>
    Q1_0 = 40,

    /// <summary>Mostly Q2_0.</summary>
    Q2_0 = 41,

    /// <summary>
    /// A flag llama.cpp ORs onto the type it inferred when a file has no <c>general.file_type</c>;
    /// alone it means nothing was inferred.
    /// </summary>
    Guessed = 1024,
}
