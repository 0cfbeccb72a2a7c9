using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// A decode step with a draft: when exactly one request is generating, the draft proposes the
/// next tokens, the target evaluates its pending token and every proposal in one batch, and the
/// request's own sampler then picks the token at each position in turn, the proposals standing for
/// as long as they equal its picks. Each pick is a token the target alone would have produced at
/// that point (same logits, same sampler state, one sampler call per emitted token), so the output
/// does not change at any temperature; the first pick that differs ends the step, and the KV cells
/// of the proposals after it are removed. With more than one request active the plain
/// <see cref="DecodeStep"/> batches them instead: it already shares each target decode between
/// sequences, which is what drafting buys for one. Runs on the decode loop thread; not thread-safe.
/// </summary>
internal sealed class SpeculativeStep(
    SpeculativeOptions options,
    DraftContext draft,
    SafeLlamaContextHandle context,
    SafeLlamaBatchHandle batch,
    SequenceSlots slots,
    TokenOutput output,
    int contextSize) : IDisposable
{
    /// <summary>Proposals a request must have seen before its acceptance rate is judged against the minimum.</summary>
    private const int MinimumEvidence = 8;

    /// <summary>Runs a speculative step when one applies.</summary>
    /// <returns>False when it did not apply (the plain step should run); true when it ran.</returns>
    public bool TryRun()
    {
        if (slots.Active != 1 || Array.Find(slots.All, slot => !slot.IsFree) is not { Request: { } request } slot
            || request.IsEvaluatingPrompt || request.DraftingStopped || request.Cancellation.IsCancellationRequested)
        {
            return false;
        }

        var position = slot.Cached.Count;
        // The step writes cells for the pending token and every proposal, and emits up to one token per cell.
        var tokensLeft = request.Options.MaxTokens is { } max ? max - request.Generated : int.MaxValue;
        var count = Math.Min(options.DraftTokens, Math.Min(batch.Capacity, tokensLeft) - 1);
        count = Math.Min(count, Math.Min(contextSize, draft.ContextSize) - position - 1);
        if (count < 1)
        {
            return false;
        }

        var proposals = draft.Propose(slot.Cached, request.PendingToken, count);
        if (proposals.Count == 0)
        {
            // The draft failed to decode: the target goes on alone.
            request.DraftingStopped = true;
            return false;
        }

        Verify(slot, request, position, proposals);
        return true;
    }

    public void Dispose() => draft.Dispose();

    private void Verify(Slot slot, ActiveRequest request, int position, List<int> proposals)
    {
        batch.Clear();
        batch.Add(request.PendingToken, position, slot.Id, wantLogits: true);
        for (var i = 0; i < proposals.Count; i++)
        {
            batch.Add(proposals[i], position + 1 + i, slot.Id, wantLogits: true);
        }

        var status = context.Decode(batch.Native);
        if (status != 0)
        {
            context.RemoveSequence(slot.Id);
            slot.Cached.Clear();
            slots.Fail(slot, new InferenceException($"llama.cpp failed to decode a speculative batch of {batch.Count} tokens (status {status})"));
            return;
        }

        slot.Cached.Add(request.PendingToken);
        request.DraftTokens += proposals.Count;
        for (var i = 0; i <= proposals.Count; i++)
        {
            var token = request.Sampler.Sample(context, i);
            var agrees = i < proposals.Count && token == proposals[i];
            if (agrees)
            {
                request.DraftAcceptedTokens++;
            }

            // Counted before Accept: a token that ends the request writes the result, statistics included.
            if (!output.Accept(slot, token, i) || !agrees)
            {
                break;
            }

            // The agreed proposal is the new pending token and already has its cell.
            slot.Cached.Add(token);
        }

        // Cells past the last token kept belong to proposals the target did not pick.
        if (!context.RemoveSequence(slot.Id, slot.Cached.Count))
        {
            context.RemoveSequence(slot.Id);
            slot.Cached.Clear();
            if (!slot.IsFree)
            {
                slots.Fail(slot, new InferenceException("llama.cpp could not remove the rejected draft tokens from the KV cache"));
            }
        }

        if (slot.Request is { } still && still.DraftTokens >= MinimumEvidence
            && still.DraftAcceptedTokens < options.MinAcceptanceRate * still.DraftTokens)
        {
            still.DraftingStopped = true;
        }
    }
}
