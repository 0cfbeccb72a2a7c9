using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ModelRunner.Distribution.References;

/// <summary>
/// A model reference, normalised the way Docker Model Runner does it:
/// <list type="bullet">
/// <item>a name without a registry and without <c>/</c> gets the <c>ai/</c> namespace (<c>smollm2</c> → <c>ai/smollm2</c>);</item>
/// <item>the tag defaults to <c>latest</c> unless a digest is given (<c>ai/smollm2@sha256:…</c>);</item>
/// <item>the registry defaults to Docker Hub (<see cref="DockerHubRegistry"/>; <c>docker.io</c> and <c>registry-1.docker.io</c> mean the same);</item>
/// <item><c>hf.co/org/repo[:quant]</c> (or <c>huggingface.co/…</c>) names a Hugging Face repository, the tag selecting the GGUF quantization;</item>
/// <item><c>sha256:&lt;64 hex&gt;</c> or 64 hex digits name a local model by id (<see cref="IsIdOnly"/>); 12 hex digits may be a short id
/// (<see cref="ShortId"/>) and are otherwise a name like any other;</item>
/// <item>the repository path is lowercased (the tag is not).</item>
/// </list>
/// Every part is validated against the OCI distribution grammar, so no reference can name a path outside the store
/// (<c>..</c>, absolute paths, backslashes and control characters are refused with a message saying why).
/// Immutable; equality is by the canonical form <see cref="ToString"/>.
/// </summary>
public sealed partial class ModelReference : IEquatable<ModelReference>
{
    /// <summary>The canonical name of Docker Hub, the default registry.</summary>
    public const string DockerHubRegistry = "index.docker.io";

    /// <summary>The host that serves Docker Hub's registry API.</summary>
    public const string DockerHubEndpoint = "registry-1.docker.io";

    /// <summary>The registry name of Hugging Face references.</summary>
    public const string HuggingFaceRegistry = "hf.co";

    /// <summary>The namespace a bare name gets, as in Docker Model Runner.</summary>
    public const string DefaultNamespace = "ai";

    /// <summary>The tag of a reference that names neither a tag nor a digest.</summary>
    public const string DefaultTag = "latest";

    /// <summary>The longest registry + repository name accepted, as most registries limit it.</summary>
    public const int MaxNameLength = 255;

    private readonly string _canonical;

    private ModelReference(string? registry, string? repository, string? tag, OciDigest? digest, string? shortId, string? huggingFaceRepository)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
        ShortId = shortId;
        HuggingFaceRepository = huggingFaceRepository;
        _canonical = repository is null
            ? digest!.ToString()
            : $"{registry}/{repository}{(tag is null ? "" : ":" + tag)}{(digest is null ? "" : "@" + digest)}";
    }

    /// <summary>The registry host (with port, if any), e.g. <c>index.docker.io</c>, <c>localhost:5000</c>, <c>hf.co</c>; null for an id.</summary>
    public string? Registry { get; }

    /// <summary>The repository path, lowercase, e.g. <c>ai/smollm2</c>; null for an id.</summary>
    public string? Repository { get; }

    /// <summary>The tag; <c>latest</c> unless the reference gave another or only a digest (then null).</summary>
    public string? Tag { get; }

    /// <summary>The manifest digest (<c>name@sha256:…</c>), or the model id of an id-only reference.</summary>
    public OciDigest? Digest { get; }

    /// <summary>The 12 hex digits when the input was exactly that, which may be a local model's short id.</summary>
    public string? ShortId { get; }

    /// <summary>For Hugging Face references, <c>org/repo</c> with its original case, which the Hub's API needs.</summary>
    public string? HuggingFaceRepository { get; }

    /// <summary>True for <c>hf.co/…</c> references.</summary>
    public bool IsHuggingFace => Registry == HuggingFaceRegistry;

    /// <summary>True for Docker Hub references.</summary>
    public bool IsDockerHub => Registry == DockerHubRegistry;

    /// <summary>True when the reference is a model id (<c>sha256:…</c> or 64 hex digits) with no repository.</summary>
    [MemberNotNullWhen(false, nameof(Registry), nameof(Repository))]
    [MemberNotNullWhen(true, nameof(Digest))]
    public bool IsIdOnly => Repository is null;

    /// <summary>The familiar form users type and <c>docker model ls</c> shows: Docker Hub's registry left out,
    /// e.g. <c>ai/smollm2:latest</c>, <c>hf.co/org/repo:Q4_K_M</c>, <c>localhost:5000/me/model:v1</c>.</summary>
    public string FamiliarName => IsIdOnly ? Digest.ToString()
        : (IsDockerHub ? "" : Registry + "/") + Repository + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>Parses and normalises <paramref name="reference"/>. Surrounding white space is ignored.</summary>
    /// <exception cref="InvalidReferenceException">The reference is malformed; the message quotes it and says why.</exception>
    public static ModelReference Parse(string reference) =>
        TryParse(reference, out var parsed, out var problem) ? parsed : throw new InvalidReferenceException(problem);

    /// <summary>Parses <paramref name="reference"/> without throwing; <paramref name="problem"/> says why it failed.</summary>
    public static bool TryParse([NotNullWhen(true)] string? reference, [NotNullWhen(true)] out ModelReference? parsed, out string problem)
    {
        parsed = null;
        var input = reference?.Trim() ?? "";
        if (input.Length == 0)
        {
            problem = "a model reference is empty; give a name such as ai/smollm2";
            return false;
        }

        if (input.Length > 2 * MaxNameLength)
        {
            problem = $"the model reference is {input.Length} characters long; at most {MaxNameLength} are allowed for the name";
            return false;
        }

        if (Fail(input, Problem(input), out problem))
        {
            return false;
        }

        // Ids: sha256:<hex> or the bare 64 hex digits (a name can never be 64 hex digits, as in Docker).
        if (input.StartsWith(OciDigest.Sha256Prefix, StringComparison.Ordinal) && !input.Contains('/', StringComparison.Ordinal))
        {
            if (!OciDigest.TryParse(input, out var id, out var digestProblem))
            {
                problem = Invalid(input, digestProblem);
                return false;
            }

            parsed = new ModelReference(null, null, null, id, null, null);
            return true;
        }

        if (OciDigest.IsHex64(input))
        {
            parsed = new ModelReference(null, null, null, OciDigest.FromHex(input), null, null);
            return true;
        }

        var shortId = input.Length == 12 && IsLowerHex(input) ? input : null;

        var rest = input;
        OciDigest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!OciDigest.TryParse(rest[(at + 1)..], out digest, out var digestProblem))
            {
                problem = Invalid(input, digestProblem);
                return false;
            }

            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (tag.Length == 0)
            {
                problem = Invalid(input, "the tag after ':' is empty");
                return false;
            }

            if (!TagPattern().IsMatch(tag))
            {
                problem = Invalid(input, $"tag '{tag}' must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
                return false;
            }
        }

        if (rest.Length == 0)
        {
            problem = Invalid(input, "it has no repository name");
            return false;
        }

        if (rest.StartsWith('/'))
        {
            problem = Invalid(input, "it must not start with '/' (an absolute path is not a model name)");
            return false;
        }

        var components = rest.Split('/');
        string registry;
        int first;
        if (components.Length > 1 && LooksLikeRegistry(components[0]))
        {
            if (!RegistryPattern().IsMatch(components[0]) || !PortIsValid(components[0]))
            {
                problem = Invalid(input, $"'{components[0]}' is not a valid registry host[:port]");
                return false;
            }

            registry = NormaliseRegistry(components[0].ToLowerInvariant());
            first = 1;
        }
        else
        {
            registry = DockerHubRegistry;
            first = 0;
        }

        var path = components[first..];
        string? huggingFaceRepository = null;
        if (registry == HuggingFaceRegistry)
        {
            if (path.Length > 2)
            {
                problem = Invalid(input, "a Hugging Face reference is hf.co/org/repo[:quantization]");
                return false;
            }

            huggingFaceRepository = string.Join('/', path);
        }
        else if (registry == DockerHubRegistry && path.Length == 1)
        {
            path = [DefaultNamespace, path[0]];
        }

        for (var i = 0; i < path.Length; i++)
        {
            path[i] = path[i].ToLowerInvariant();
            if (Fail(input, ComponentProblem(path[i]), out problem))
            {
                return false;
            }
        }

        var repository = string.Join('/', path);
        if (registry.Length + 1 + repository.Length > MaxNameLength)
        {
            problem = Invalid(input, $"the name is longer than {MaxNameLength} characters");
            return false;
        }

        if (tag is null && digest is null)
        {
            tag = DefaultTag;
        }

        parsed = new ModelReference(registry, repository, tag, digest, shortId, huggingFaceRepository);
        problem = "";
        return true;
    }

    /// <summary>The same repository with <paramref name="tag"/> and no digest.</summary>
    /// <exception cref="InvalidOperationException">This is an id-only reference.</exception>
    /// <exception cref="InvalidReferenceException">The tag is malformed.</exception>
    public ModelReference WithTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (IsIdOnly)
        {
            throw new InvalidOperationException("a model id has no repository to tag");
        }

        if (!TagPattern().IsMatch(tag))
        {
            throw new InvalidReferenceException($"tag '{tag}' must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }

        return new ModelReference(Registry, Repository, tag, null, null, HuggingFaceRepository);
    }

    /// <summary>The same repository pinned to <paramref name="digest"/>, keeping the tag.</summary>
    /// <exception cref="InvalidOperationException">This is an id-only reference.</exception>
    public ModelReference WithDigest(OciDigest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return IsIdOnly
            ? throw new InvalidOperationException("a model id has no repository")
            : new ModelReference(Registry, Repository, Tag, digest, null, HuggingFaceRepository);
    }

    /// <summary>The canonical form with the registry, e.g. <c>index.docker.io/ai/smollm2:latest</c>, or the id.</summary>
    public override string ToString() => _canonical;

    /// <inheritdoc/>
    public bool Equals(ModelReference? other) => other is not null && _canonical == other._canonical;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ModelReference);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

    private static bool Fail(string input, string? why, out string problem)
    {
        problem = why is null ? "" : Invalid(input, why);
        return why is not null;
    }

    private static string Invalid(string input, string why) => $"'{input}' is not a valid model reference: {why}";

    /// <summary>Characters that are never part of a reference, whatever the position.</summary>
    private static string? Problem(string input)
    {
        foreach (var c in input)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "it contains white space or control characters";
            }

            if (c == '\\')
            {
                return "it contains a backslash, which could name a path outside the store";
            }
        }

        return null;
    }

    private static string? ComponentProblem(string component)
    {
        if (component.Length == 0)
        {
            return "it has an empty path component ('//' or a trailing '/')";
        }

        if (component is "." or "..")
        {
            return $"path component '{component}' is not allowed: it could name a path outside the store";
        }

        if (!ComponentPattern().IsMatch(component))
        {
            return $"path component '{component}' must be lowercase letters and digits, separated by single '.', '_', '__' or dashes, starting and ending with a letter or digit";
        }

        return null;
    }

    // As in Docker: the first component is a registry when it has a dot or a port, or is localhost.
    private static bool LooksLikeRegistry(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal) || component == "localhost" || component.StartsWith('[');

    private static string NormaliseRegistry(string registry) => registry switch
    {
        "docker.io" or "registry-1.docker.io" or DockerHubRegistry => DockerHubRegistry,
        "huggingface.co" or HuggingFaceRegistry => HuggingFaceRegistry,
        _ => registry,
    };

    private static bool PortIsValid(string registry)
    {
        var colon = registry.LastIndexOf(':');
        if (colon < 0 || registry.EndsWith(']'))
        {
            return true;
        }

        return int.TryParse(registry.AsSpan(colon + 1), out var port) && port is > 0 and <= 65535;
    }

    private static bool IsLowerHex(string text) => text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ComponentPattern();

    [GeneratedRegex(@"^(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?))*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryPattern();
}
