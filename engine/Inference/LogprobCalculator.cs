namespace ModelRunner.Engine.Inference;

/// <summary>Log-probabilities from raw logits: a log-softmax over the whole vocabulary.</summary>
internal static class LogprobCalculator
{
    public static TokenLogprob Compute(LlamaModel model, ReadOnlySpan<float> logits, int chosen, int top)
    {
        var max = float.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var sum = 0d;
        foreach (var logit in logits)
        {
            sum += Math.Exp(logit - max);
        }

        var logNormaliser = max + (float)Math.Log(sum);
        var best = TopIndices(logits, top);
        var alternatives = new TokenAlternative[best.Length];
        for (var i = 0; i < best.Length; i++)
        {
            alternatives[i] = new TokenAlternative(best[i], model.TokenBytes(best[i]), logits[best[i]] - logNormaliser);
        }

        return new TokenLogprob(chosen, model.TokenBytes(chosen), logits[chosen] - logNormaliser, alternatives);
    }

    /// <summary>The <paramref name="count"/> largest logits, largest first, in one pass with a small insertion-sorted buffer.</summary>
    private static int[] TopIndices(ReadOnlySpan<float> logits, int count)
    {
        if (count == 0)
        {
            return [];
        }

        var indices = new int[Math.Min(count, logits.Length)];
        var filled = 0;
        for (var token = 0; token < logits.Length; token++)
        {
            if (filled == indices.Length && logits[token] <= logits[indices[filled - 1]])
            {
                continue;
            }

            var at = filled < indices.Length ? filled++ : filled - 1;
            while (at > 0 && logits[indices[at - 1]] < logits[token])
            {
                indices[at] = indices[at - 1];
                at--;
            }

            indices[at] = token;
        }

        return indices;
    }
}
