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
    /// How often a stream's consumer is woken at most. Each update wakes a thread that takes a
    /// core from the decode for a moment: at the ~1 ms steps of a tiny model (or a GPU), eight
    /// streams woken every step add up (bench/README.md, batch). Steps of real models on a CPU take
    /// longer, so each of their tokens still goes out as it comes; the first text always does.
    /// </summary>
    private static readonly TimeSpan UpdateInterval = TimeSpan.FromMilliseconds(4);

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
        request.UnsentText.Append(request.Stops.Append(request.Text.Append(token)));
        if (request.LastUpdate == 0 || Stopwatch.GetElapsedTime(request.LastUpdate) >= UpdateInterval)
        {
            Send(request);
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

    /// <summary>Writes the text held back for <paramref name="request"/>, if any: before a step that will take long.</summary>
    public static void Send(ActiveRequest request)
    {
        if (request.UnsentText.Length > 0)
        {
            request.Updates.Writer.TryWrite(new GenerationUpdate(TakeText(request), TakeLogprobs(request)) { Tokens = TakeTokens(request) });
            request.LastUpdate = Stopwatch.GetTimestamp();
        }
    }

    private void Finish(Slot slot, FinishReason reason)
    {
        var request = slot.Request!;
        var now = Stopwatch.GetTimestamp();
        var firstToken = request.FirstToken == 0 ? now : request.FirstToken;
        var rest = TakeText(request) + request.Stops.Append(request.Text.Flush()) + request.Stops.Flush();
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

    private static string TakeText(ActiveRequest request)
    {
        var text = request.UnsentText.ToString();
        request.UnsentText.Clear();
        return text;
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
