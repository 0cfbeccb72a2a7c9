using ModelRunner.Api.Backend;

namespace ModelRunner.Api.Ollama;

/// <summary>Ollama's empty requests: they load a model (keeping it for keep_alive) or, with keep_alive 0, unload it.</summary>
internal static class OllamaLoading
{
    /// <returns>The <c>done_reason</c>: <c>load</c> or <c>unload</c>.</returns>
    public static async Task<string> LoadOrUnloadAsync(IModelBackend backend, BackendRequest request, CancellationToken cancellationToken)
    {
        if (request.KeepAlive == TimeSpan.Zero)
        {
            backend.Resolve(request.Model);
            await backend.UnloadAsync(request.Model, cancellationToken).ConfigureAwait(false);
            return "unload";
        }

        await backend.LoadAsync(request.Model, request.KeepAlive, cancellationToken).ConfigureAwait(false);
        return "load";
    }
}
