using System.Diagnostics;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// What happens to a token once it is sampled: end of generation, logprobs, text through the
/// stop strings to the request's stream, and the limits that finish a request. Runs on the
/// decode loop thread.
/// </summary>
internal sealed class TokenOutput(LlamaModel model, SafeLlamaContextHandle context, SequenceSlots slots, int contextSize)
{
    /// <summary>
    /// Hands <paramref name="token"/>, sampled from the logits at <paramref name="logitsIndex"/>,
    /// to the request in <paramref name="slot"/>.
    /// </summary>
    /// <returns>True when the request goes on with <paramref name="token"/> as its pending token; false when it finished and freed its sequence.</returns>
    public bool Accept(Slot slot, int token, int logitsIndex)
    {
        var request = slot.Request!;
        if (request.Generated == 0)
        {
            request.FirstToken = Stopwatch.GetTimestamp();
        }

        if (model.IsEndOfGeneration(token))
        {
            Finish(slot, FinishReason.Stop);
            return false;
        }

        if (request.Options.TopLogprobs is { } top)
        {
            (request.Logprobs ??= []).Add(LogprobCalculator.Compute(model, context.GetLogits(logitsIndex), token, top));
        }

        request.Generated++;
        request.UnsentTokens.Add(token);
        var text = request.Stops.Append(request.Text.Append(token));
        if (text.Length > 0)
        {
            request.Updates.Writer.TryWrite(new GenerationUpdate(text, TakeLogprobs(request)) { Tokens = TakeTokens(request) });
        }

        if (request.Stops.Stopped)
        {
            Finish(slot, FinishReason.Stop);
            return false;
        }

        if (request.Generated >= request.Options.MaxTokens || request.Prompt.Count + request.Generated >= contextSize)
        {
            // The sampled token needs no KV cell until it is decoded, so prompt and answer may fill the context exactly.
            Finish(slot, FinishReason.Length);
            return false;
        }

        request.PendingToken = token;
        return true;
    }

    private void Finish(Slot slot, FinishReason reason)
    {
        var request = slot.Request!;
        var now = Stopwatch.GetTimestamp();
        var firstToken = request.FirstToken == 0 ? now : request.FirstToken;
        var rest = request.Stops.Append(request.Text.Flush()) + request.Stops.Flush();
        var result = new GenerationResult(
            reason,
            request.Prompt.Count,
            request.CachedPromptTokens,
            request.Generated,
            Stopwatch.GetElapsedTime(request.Admitted, firstToken),
            Stopwatch.GetElapsedTime(firstToken, now))
        {
            QueueDuration = Stopwatch.GetElapsedTime(request.Queued, request.Admitted),
            StopSequence = request.Stops.Matched,
            DraftTokens = request.DraftTokens,
            DraftAcceptedTokens = request.DraftAcceptedTokens,
        };
        request.Updates.Writer.TryWrite(new GenerationUpdate(rest, TakeLogprobs(request), result) { Tokens = TakeTokens(request) });
        request.Updates.Writer.TryComplete();
        slots.Release(slot);
    }

    private static int[] TakeTokens(ActiveRequest request)
    {
        var tokens = request.UnsentTokens.ToArray();
        request.UnsentTokens.Clear();
        return tokens;
    }

    private static List<TokenLogprob>? TakeLogprobs(ActiveRequest request)
    {
        var logprobs = request.Logprobs;
        request.Logprobs = null;
        return logprobs;
    }
}
