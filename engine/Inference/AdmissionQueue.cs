using System.Diagnostics;
using ModelRunner.Engine.Native;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// Requests waiting for a sequence, first come first served, and their admission: each gets the
/// free sequence that saves the most prompt evaluation, with the conversation it left saved and
/// its own restored. <see cref="Enqueue"/> and <see cref="Count"/> are thread-safe; the rest runs
/// on the decode loop thread.
/// </summary>
internal sealed class AdmissionQueue(SequenceSlots slots, SavedSequences saved, SafeLlamaContextHandle context, int maxQueued)
{
    private readonly Lock _gate = new();
    private readonly Queue<ActiveRequest> _waiting = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <exception cref="EngineBusyException">Every sequence is busy and the queue is full.</exception>
    public void Enqueue(ActiveRequest request)
    {
        lock (_gate)
        {
            if (slots.Active + _waiting.Count >= slots.Count + maxQueued)
            {
                throw new EngineBusyException(slots.Count, _waiting.Count);
            }

            _waiting.Enqueue(request);
        }
    }

    /// <summary>Gives waiting requests free sequences, first come first served.</summary>
    public void Admit()
    {
        while (true)
        {
            ActiveRequest? next;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    return;
                }

                DropCancelledLocked();
                if (!slots.AnyFree || !_waiting.TryDequeue(out next))
                {
                    return;
                }
            }

            Start(SlotChoice.Best(slots.All, next, saved), next);
        }
    }

    /// <summary>Fails every waiting request with <paramref name="exception"/>.</summary>
    public void AbandonAll(Exception exception)
    {
        lock (_gate)
        {
            while (_waiting.TryDequeue(out var waiting))
            {
                Abandon(waiting, exception);
            }
        }
    }

    private void DropCancelledLocked()
    {
        if (!_waiting.Any(request => request.Cancellation.IsCancellationRequested))
        {
            return;
        }

        var waiting = _waiting.ToList();
        _waiting.Clear();
        foreach (var request in waiting)
        {
            if (request.Cancellation.IsCancellationRequested)
            {
                Abandon(request, new OperationCanceledException(request.Cancellation));
            }
            else
            {
                _waiting.Enqueue(request);
            }
        }
    }

    private void Start(Slot slot, ActiveRequest request)
    {
        request.Admitted = Stopwatch.GetTimestamp();
        var key = request.Request.CacheKey;
        if (slot.Key is not null && slot.Key != key)
        {
            saved.Evict(slot);
        }

        if (key is not null)
        {
            // Two requests of one conversation at once: the newest owns the key.
            foreach (var other in slots.All.Where(other => other != slot && other.Key == key))
            {
                other.Key = null;
            }

            if (slot.Key != key)
            {
                saved.TryRestore(slot, key);
            }

            slot.Key = key;
        }

        // Keep the common prefix, but always evaluate the prompt's last token: its logits give the first answer token.
        var common = Math.Min(slot.CommonPrefix(request.Prompt), request.Prompt.Count - 1);
        if (common < slot.Cached.Count && !context.RemoveSequence(slot.Id, common))
        {
            context.RemoveSequence(slot.Id);
            common = 0;
        }

        slot.Cached.RemoveRange(common, slot.Cached.Count - common);
        request.PromptCursor = common;
        request.CachedPromptTokens = common;
        slots.Occupy(slot, request);
    }

    private static void Abandon(ActiveRequest request, Exception exception)
    {
        request.Updates.Writer.TryComplete(exception);
        request.Dispose();
        request.Released.TrySetResult();
    }
}
