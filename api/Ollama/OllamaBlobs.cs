using System.Security.Cryptography;
using ModelRunner.Api.Errors;

namespace ModelRunner.Api.Ollama;

/// <summary>
/// Files uploaded with <c>POST /api/blobs/:digest</c> for a later <c>/api/create</c> (Ollama's client uploads a GGUF
/// this way before it creates a model from it). Kept under the server's home, named by their verified digest; an
/// upload that does not hash to its digest is dropped. Thread-safe.
/// </summary>
internal sealed class OllamaBlobs(string folder)
{
    private const string Prefix = "sha256:";

    public string Folder { get; } = folder;

    /// <summary>The path of the uploaded blob <paramref name="digest"/>, or null.</summary>
    /// <exception cref="ApiException">The digest is not <c>sha256:</c> and 64 hex digits (400).</exception>
    public string? Find(string digest)
    {
        var path = PathOf(digest);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Stores <paramref name="content"/> as <paramref name="digest"/>; returns false when it was already there.</summary>
    /// <exception cref="ApiException">The digest is malformed, or the content does not hash to it (400).</exception>
    public async Task<bool> SaveAsync(string digest, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(digest);
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Folder);
        var temp = Path.Combine(Folder, $"{Guid.NewGuid():N}.partial");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                output.Flush(flushToDisk: true);
            }

            var actual = Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != digest)
            {
                throw ApiException.Invalid($"the uploaded content hashes to {actual}, not {digest}", "digest");
            }

            File.Move(temp, path, overwrite: true);
            return true;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private string PathOf(string digest)
    {
        if (!digest.StartsWith(Prefix, StringComparison.Ordinal) || digest.Length != Prefix.Length + 64 || !digest[Prefix.Length..].All(char.IsAsciiHexDigitLower))
        {
            throw ApiException.Invalid($"'{digest}' is not a digest: expected sha256: and 64 lower-case hex digits", "digest");
        }

        return Path.Combine(Folder, "sha256-" + digest[Prefix.Length..]);
    }
}
