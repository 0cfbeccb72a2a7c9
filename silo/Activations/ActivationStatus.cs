namespace ModelRunner.Silo.Activations;

/// <summary>Where an activation is in its life.</summary>
public enum ActivationStatus
{
    /// <summary>Being created; <c>OnActivateAsync</c> has not completed yet.</summary>
    Activating,

    /// <summary>Serving calls.</summary>
    Active,

    /// <summary>Being deactivated (or waiting for its last call to end before it is); new calls wait for a fresh activation.</summary>
    Deactivating,
}
