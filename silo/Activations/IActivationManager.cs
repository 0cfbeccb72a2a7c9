using ModelRunner.Silo.Grains;

namespace ModelRunner.Silo.Activations;

/// <summary>
/// What a resource manager sees of this silo's activations and how it evicts one (e.g. the least
/// recently used idle model grain when another model needs the memory). Thread-safe; registered
/// as a singleton by <c>AddSilo</c>.
/// </summary>
public interface IActivationManager
{
    /// <summary>Every activation on this silo, of every grain type, in no particular order.</summary>
    IReadOnlyList<ActivationInfo> GetActivations();

    /// <summary>The activations of the grain class registered for <typeparamref name="TGrainInterface"/>, in no particular order.</summary>
    /// <exception cref="InvalidOperationException">No grain class is registered for the interface.</exception>
    IReadOnlyList<ActivationInfo> GetActivations<TGrainInterface>()
        where TGrainInterface : IGrainWithStringKey;

    /// <summary>
    /// Deactivates the activation of <typeparamref name="TGrainInterface"/> with
    /// <paramref name="key"/> if it is active and idle, and waits until its
    /// <c>OnDeactivateAsync</c> has completed, so whatever it held is freed when this returns
    /// true. Returns false, doing nothing, when there is no such activation, it is still
    /// activating or already deactivating, a call is running (or waiting for its turn, or a
    /// stream is open), or it is pinned and <paramref name="includePinned"/> is false. A call
    /// arriving meanwhile waits and then reaches a fresh activation.
    /// </summary>
    /// <param name="key">The grain's key.</param>
    /// <param name="reason">Passed to <c>OnDeactivateAsync</c>, e.g. <see cref="DeactivationReason.ResourcePressure"/>.</param>
    /// <param name="includePinned">Deactivate even an activation with infinite keep-alive or delay (an explicit unload).</param>
    /// <param name="cancellationToken">Stops the wait for the deactivation, not the deactivation itself.</param>
    /// <exception cref="InvalidOperationException">No grain class is registered for the interface.</exception>
    Task<bool> TryDeactivateAsync<TGrainInterface>(string key, DeactivationReason reason, bool includePinned = false, CancellationToken cancellationToken = default)
        where TGrainInterface : IGrainWithStringKey;
}
