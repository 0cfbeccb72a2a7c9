namespace ModelRunner.Silo.Storage;

/// <summary>A state as read from <see cref="IGrainStorage"/>, with the etag to name when writing it back.</summary>
public sealed record StoredState<T>(T State, string ETag);
