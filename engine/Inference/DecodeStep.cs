using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// One step of continuous batching: build a batch of every generating request's pending token
/// plus as much prompt as fits (oldest admission first), <c>llama_decode</c> it, record the
/// evaluated tokens as each sequence's KV content, then sample the next token of every sequence
/// whose logits came out and hand it to <see cref="TokenOutput"/>. Runs on the decode loop
/// thread; not thread-safe.
/// </summary>
internal sealed class DecodeStep(SafeLlamaContextHandle context, SafeLlamaBatchHandle batch, SequenceSlots slots, TokenOutput output)
{
    // Reused every step: a short step should cost no allocations.
    private static readonly Comparison<Slot> ByAdmission = (a, b) =>
        a.Request!.Admitted != b.Request!.Admitted ? a.Request.Admitted.CompareTo(b.Request.Admitted) : a.Id.CompareTo(b.Id);
    private readonly List<(Slot Slot, int End)> _chunks = [];
    private readonly List<Slot> _prompting = [];

    public void Run()
    {
        foreach (var slot in slots.All)
        {
            if (slot.Request is { Cancellation.IsCancellationRequested: true } cancelled)
            {
                slots.Fail(slot, new OperationCanceledException(cancelled.Cancellation));
            }
        }

        BuildBatch();
        if (batch.Count == 0)
        {
            return;
        }

        if (_chunks.Count > 0)
        {
            // Prompt makes this step long: text held back for a short one goes out first.
            foreach (var slot in slots.All)
            {
                if (slot.Request is { IsEvaluatingPrompt: false } generating)
                {
                    TokenOutput.Send(generating);
                }
            }
        }

        var status = context.Decode(batch.Native);
        if (status != 0)
        {
            FailAll(new InferenceException($"llama.cpp failed to decode a batch of {batch.Count} tokens: {DecodeError(status)}"));
            return;
        }

        RecordEvaluated();
        foreach (var slot in slots.All)
        {
            if (slot.Request is { LogitsIndex: >= 0 } request)
            {
                var token = request.IsPlainGreedy
                    ? GreedyToken.ArgMax(context.GetLogits(request.LogitsIndex))
                    : request.Sampler.Sample(context, request.LogitsIndex);
                output.Accept(slot, token, request.LogitsIndex);
            }
        }
    }

    private void BuildBatch()
    {
        batch.Clear();
        _chunks.Clear();
        _prompting.Clear();
        foreach (var slot in slots.All)
        {
            if (slot.Request is { IsEvaluatingPrompt: false } generating)
            {
                generating.LogitsIndex = batch.Add(generating.PendingToken, slot.Cached.Count, slot.Id, wantLogits: true);
            }
            else if (slot.Request is not null)
            {
                _prompting.Add(slot);
            }
        }

        // Prompts in order of admission: the oldest finishes its prompt first.
        _prompting.Sort(ByAdmission);
        foreach (var slot in _prompting)
        {
            var request = slot.Request!;
            var room = batch.Capacity - batch.Count;
            if (room == 0)
            {
                break;
            }

            var end = Math.Min(request.Prompt.Count, request.PromptCursor + room);
            request.LogitsIndex = -1;
            for (var i = request.PromptCursor; i < end; i++)
            {
                var last = i == request.Prompt.Count - 1;
                var index = batch.Add(request.Prompt[i], i, slot.Id, wantLogits: last);
                if (last)
                {
                    request.LogitsIndex = index;
                }
            }

            _chunks.Add((slot, end));
        }
    }

    /// <summary>The batch's tokens now have KV cells: the pending tokens and the prompt chunks.</summary>
    private void RecordEvaluated()
    {
        foreach (var slot in slots.All)
        {
            if (slot.Request is { IsEvaluatingPrompt: false } generating)
            {
                slot.Cached.Add(generating.PendingToken);
            }
        }

        foreach (var (slot, end) in _chunks)
        {
            var request = slot.Request!;
            for (var i = request.PromptCursor; i < end; i++)
            {
                slot.Cached.Add(request.Prompt[i]);
            }

            request.PromptCursor = end;
        }
    }

    private void FailAll(InferenceException error)
    {
        foreach (var slot in slots.All.Where(slot => !slot.IsFree))
        {
            context.RemoveSequence(slot.Id);
            slot.Cached.Clear();
            slots.Fail(slot, error);
        }
    }

    private static string DecodeError(int status) => status switch
    {
        1 => "no room left in the KV cache",
        2 => "aborted",
        -1 => "invalid batch",
        _ => LlamaLibrary.TakeLastError() ?? $"status {status}",
    };
}
