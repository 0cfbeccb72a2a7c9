namespace ModelRunner.Silo.Grains;

/// <summary>
/// On a grain interface method: calls to it do not take the activation's turn, so they run while
/// a non-interleaving call is in progress and alongside each other (as Orleans'
/// <c>[AlwaysInterleave]</c>). Unlike Orleans, whose activations run on one thread at a time, an
/// interleaving call may run on another thread at the same moment as the turn holder: whatever
/// state it touches must be thread-safe. A streaming method marked with it keeps the activation
/// busy (never collected) while enumerated, without blocking other calls.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AlwaysInterleaveAttribute : Attribute;
