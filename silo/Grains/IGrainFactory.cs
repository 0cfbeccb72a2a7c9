namespace ModelRunner.Silo.Grains;

/// <summary>Hands out references to grains. Thread-safe; registered as a singleton by <c>AddSilo</c>.</summary>
public interface IGrainFactory
{
    /// <summary>
    /// Returns a reference to the grain of <typeparamref name="TGrainInterface"/> with
    /// <paramref name="key"/>. Nothing is activated until the first call through the reference;
    /// references are cheap, need no disposal, and two references to the same grain are equal.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No grain class is registered for the interface.</exception>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}
