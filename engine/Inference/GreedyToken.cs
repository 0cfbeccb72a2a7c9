using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// Greedy sampling straight from the logits. llama.cpp's greedy sampler first copies every
/// logit into a token-data array (12 bytes per token of the vocabulary) and then scans it; on a
/// short decode step that copy, once per sequence, is a visible share of the step. Picks the
/// same token: the first of the highest logits.
/// </summary>
internal static class GreedyToken
{
    /// <summary>The index of the first largest value.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("no logits", nameof(logits));
        }

        var max = Max(logits);
        var i = 0;
        if (Vector256.IsHardwareAccelerated && logits.Length >= Vector256<float>.Count)
        {
            var target = Vector256.Create(max);
            ref var start = ref MemoryMarshal.GetReference(logits);
            for (; i <= logits.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var equal = Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), target).ExtractMostSignificantBits();
                if (equal != 0)
                {
                    return i + BitOperations.TrailingZeroCount(equal);
                }
            }
        }

        for (; i < logits.Length; i++)
        {
            if (logits[i] == max)
            {
                return i;
            }
        }

        // Only NaN logits compare unequal to their maximum: fall back to the first token.
        return 0;
    }

    private static float Max(ReadOnlySpan<float> logits)
    {
        var i = 0;
        var max = float.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && logits.Length >= Vector256<float>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(logits);
            var maxima = Vector256.Create(float.NegativeInfinity);
            for (; i <= logits.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                maxima = Vector256.Max(maxima, Vector256.LoadUnsafe(ref start, (nuint)i));
            }

            for (var lane = 0; lane < Vector256<float>.Count; lane++)
            {
                max = Math.Max(max, maxima[lane]);
            }
        }

        for (; i < logits.Length; i++)
        {
            max = Math.Max(max, logits[i]);
        }

        return max;
    }
}
