namespace ModelRunner.Distribution.Transfer;

/// <summary>What a <see cref="TransferEvent"/> reports.</summary>
public enum TransferEventKind
{
    /// <summary>A step: resolving the manifest, resuming a layer, writing the manifest.</summary>
    Status,

    /// <summary>Bytes moved for <see cref="TransferEvent.Layer"/>.</summary>
    Progress,

    /// <summary>Something went wrong and is being retried (a cut connection, a stall); the transfer goes on.</summary>
    Warning,

    /// <summary>The transfer is complete; always the last event of a successful pull, push or package.</summary>
    Success,
}
