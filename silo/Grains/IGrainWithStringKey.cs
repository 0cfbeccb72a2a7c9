namespace ModelRunner.Silo.Grains;

/// <summary>
/// Marks a grain interface whose grains are identified by a string key, like Orleans'
/// <c>IGrainWithStringKey</c>. Every method of such an interface (and of the interfaces it
/// extends) returns <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/>,
/// <see cref="ValueTask{TResult}"/> or <see cref="IAsyncEnumerable{T}"/>, is not generic and has
/// no <c>ref</c>/<c>out</c> parameters; registration rejects an interface that breaks this. A
/// <see cref="CancellationToken"/> parameter is passed through to the grain and also cancels the
/// caller's wait for the activation and for its turn.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1040:Avoid empty interfaces", Justification = "A marker: grain interfaces are recognised by it, as in Orleans.")]
public interface IGrainWithStringKey;
