using ModelRunner.Distribution.Transfer;

namespace ModelRunner.Distribution.Tests.Support;

/// <summary>Collects events synchronously into a list, unlike <see cref="Progress{T}"/>, which posts them to the thread pool.</summary>
public sealed class EventLog(List<TransferEvent> events) : IProgress<TransferEvent>
{
    public void Report(TransferEvent value)
    {
        lock (events)
        {
            events.Add(value);
        }
    }
}
