using System.Diagnostics;

namespace ModelRunner.Engine.Inference;

/// <summary>
/// The context's sequences and which request holds each. Requests take and release sequences
/// on the decode loop thread only; <see cref="Active"/> may be read from any thread.
/// </summary>
internal sealed class SequenceSlots
{
    private int _active;

    public SequenceSlots(int count) => All = [.. Enumerable.Range(0, count).Select(id => new Slot(id))];

    /// <summary>Every sequence, by id.</summary>
    public Slot[] All { get; }

    public int Count => All.Length;

    /// <summary>Sequences that hold a request.</summary>
    public int Active => Volatile.Read(ref _active);

    public bool AnyFree => Active < All.Length;

    public void Occupy(Slot slot, ActiveRequest request)
    {
        slot.Request = request;
        Interlocked.Increment(ref _active);
    }

    /// <summary>Ends a request with an error and frees its sequence.</summary>
    public void Fail(Slot slot, Exception exception)
    {
        slot.Request!.Updates.Writer.TryComplete(exception);
        Release(slot);
    }

    /// <summary>Frees a sequence whose request has written its last update; its KV cells stay.</summary>
    public void Release(Slot slot)
    {
        var request = slot.Request!;
        slot.Request = null;
        slot.LastUsed = Stopwatch.GetTimestamp();
        Interlocked.Decrement(ref _active);
        request.Dispose();
        request.Released.TrySetResult();
    }
}
