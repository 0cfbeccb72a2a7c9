using System.Diagnostics.CodeAnalysis;

namespace ModelRunner.Engine.Gguf;

/// <summary>
/// The element type of a tensor (<c>ggml_type</c>). Gaps in the numbering are types that ggml
/// removed (4, 5, 31 to 33, 36 to 38); <see cref="GgmlTypeTraits.IsKnown"/> tells them apart.
/// </summary>
[SuppressMessage("Design", "CA1028:Enum storage should be Int32", Justification = "ggml stores the type as a uint32 in GGUF tensor infos.")]
public enum GgmlType : uint
{
    /// <summary>32-bit float.</summary>
    F32 = 0,

    /// <summary>16-bit IEEE half float.</summary>
    F16 = 1,

    /// <summary>4-bit quantization, 32-element blocks with one scale.</summary>
    Q4_0 = 2,

    /// <summary>4-bit quantization, 32-element blocks with scale and minimum.</summary>
    Q4_1 = 3,

    /// <summary>5-bit quantization, 32-element blocks with one scale.</summary>
    Q5_0 = 6,

    /// <summary>5-bit quantization, 32-element blocks with scale and minimum.</summary>
    Q5_1 = 7,

    /// <summary>8-bit quantization, 32-element blocks with one scale.</summary>
    Q8_0 = 8,

    /// <summary>8-bit quantization, 32-element blocks with scale and sum.</summary>
    Q8_1 = 9,

    /// <summary>2-bit k-quant, 256-element super-blocks.</summary>
    Q2_K = 10,

    /// <summary>3-bit k-quant, 256-element super-blocks.</summary>
    Q3_K = 11,

    /// <summary>4-bit k-quant, 256-element super-blocks.</summary>
    Q4_K = 12,

    /// <summary>5-bit k-quant, 256-element super-blocks.</summary>
    Q5_K = 13,

    /// <summary>6-bit k-quant, 256-element super-blocks.</summary>
    Q6_K = 14,

    /// <summary>8-bit k-quant, 256-element super-blocks (used for intermediate results).</summary>
    Q8_K = 15,

    /// <summary>2.06 bits-per-weight i-quant.</summary>
    IQ2_XXS = 16,

    /// <summary>2.31 bits-per-weight i-quant.</summary>
    IQ2_XS = 17,

    /// <summary>3.06 bits-per-weight i-quant.</summary>
    IQ3_XXS = 18,

    /// <summary>1.56 bits-per-weight i-quant.</summary>
    IQ1_S = 19,

    /// <summary>4-bit non-linear i-quant, 32-element blocks.</summary>
    IQ4_NL = 20,

    /// <summary>3.44 bits-per-weight i-quant.</summary>
    IQ3_S = 21,

    /// <summary>2.5 bits-per-weight i-quant.</summary>
    IQ2_S = 22,

    /// <summary>4.25 bits-per-weight i-quant.</summary>
    IQ4_XS = 23,

    /// <summary>8-bit signed integer.</summary>
    I8 = 24,

    /// <summary>16-bit signed integer.</summary>
    I16 = 25,

    /// <summary>32-bit signed integer.</summary>
    I32 = 26,

    /// <summary>64-bit signed integer.</summary>
    I64 = 27,

    /// <summary>64-bit float.</summary>
    F64 = 28,

    /// <summary>1.75 bits-per-weight i-quant.</summary>
    IQ1_M = 29,

    /// <summary>16-bit brain float.</summary>
    BF16 = 30,

    /// <summary>Ternary quantization, 1.69 bits per weight.</summary>
    TQ1_0 = 34,

    /// <summary>Ternary quantization, 2.06 bits per weight.</summary>
    TQ2_0 = 35,

    /// <summary>OCP microscaling FP4, 32-element blocks.</summary>
    MXFP4 = 39,

    /// <summary>NVIDIA FP4 with E4M3 scales, 64-element blocks.</summary>
    NVFP4 = 40,

    /// <summary>1-bit quantization, 128-element blocks.</summary>
    Q1_0 = 41,

    /// <summary>2-bit quantization, 64-element blocks.</summary>
    Q2_0 = 42,
}
