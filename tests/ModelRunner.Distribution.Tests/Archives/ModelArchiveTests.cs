using System.Formats.Tar;
using ModelRunner.Distribution.Packaging;

namespace ModelRunner.Distribution.Tests.Archives;

public sealed class ModelArchiveTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly IModelDistribution _source;
    private readonly IModelDistribution _target;

    public ModelArchiveTests()
    {
        _source = Distributions.Create(_folder.Combine("source"));
        _target = Distributions.Create(_folder.Combine("target"));
    }

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task ExportThenLoad_GivesTheSameModel_InAnotherStore()
    {
        var license = _folder.Combine("LICENSE");
        await File.WriteAllTextAsync(license, "Free to use.");
        var model = await _source.PackageAsync(new PackageRequest { GgufPaths = [TinyModels.Path()], LicensePaths = [license], Tags = ["me/tiny:v1"], Created = Packages.Created });
        using var archive = new MemoryStream();

        await _source.ExportAsync("me/tiny:v1", archive);
        archive.Position = 0;
        var entries = await EntryNamesAsync(archive);
        archive.Position = 0;
        var loaded = await _target.LoadAsync(archive, ["other/name:v2"]);

        Assert.Equal("manifest.json", entries[^1]);
        Assert.Contains("blobs/sha256/" + Path.GetFileName(model.GgufPaths[0]), entries);
        Assert.Equal(model.Id, loaded.Id);
        Assert.Equal(["other/name:v2"], loaded.Tags);
        Assert.Equal(await File.ReadAllBytesAsync(model.GgufPaths[0]), await File.ReadAllBytesAsync(loaded.GgufPaths[0]));
        Assert.Equal("Free to use.", await File.ReadAllTextAsync(Assert.Single(loaded.LicensePaths)));
    }

    [Fact]
    public async Task Load_ABlobThatDoesNotMatchItsName_IsRefused_AndStoresNothing()
    {
        await _source.PackageTinyAsync("me/tiny:v1");
        using var archive = new MemoryStream();
        await _source.ExportAsync("me/tiny:v1", archive);
        archive.Position = 0;
        using var tampered = await RewriteAsync(archive, (name, bytes) => name == "manifest.json" || bytes.Length < 1024 ? bytes : [.. bytes[..^1], (byte)(bytes[^1] ^ 0xFF)]);

        await Assert.ThrowsAsync<DigestMismatchException>(() => _target.LoadAsync(tampered));

        Assert.Empty(_target.Store.List());
        Assert.Empty(Directory.EnumerateFiles(_folder.Combine("target", "blobs", "sha256")));
    }

    [Fact]
    public async Task Load_WithoutManifestOrWithAMissingBlob_IsRefused()
    {
        await _source.PackageTinyAsync("me/tiny:v1");
        using var archive = new MemoryStream();
        await _source.ExportAsync("me/tiny:v1", archive);
        archive.Position = 0;
        using var noManifest = await RewriteAsync(archive, (name, bytes) => name == "manifest.json" ? null : bytes);
        archive.Position = 0;
        var dropped = false;
        using var missingBlob = await RewriteAsync(archive, (name, bytes) =>
        {
            if (!dropped && name.StartsWith("blobs/sha256/", StringComparison.Ordinal))
            {
                dropped = true;
                return null;
            }

            return bytes;
        });

        var noManifestError = await Assert.ThrowsAsync<InvalidDataException>(() => _target.LoadAsync(noManifest));
        var missingError = await Assert.ThrowsAsync<InvalidDataException>(() => _target.LoadAsync(missingBlob));
        await Assert.ThrowsAsync<InvalidDataException>(() => _target.LoadAsync(new MemoryStream("not a tar archive at all, just text"u8.ToArray())));

        Assert.Contains("manifest.json", noManifestError.Message, StringComparison.Ordinal);
        Assert.Contains("lacks blob", missingError.Message, StringComparison.Ordinal);
        Assert.Empty(_target.Store.List());
    }

    [Fact]
    public async Task Export_UnknownModel_IsNotFound()
    {
        using var archive = new MemoryStream();
        await Assert.ThrowsAsync<ModelNotFoundException>(() => _source.ExportAsync("me/absent:v1", archive));
    }

    private static async Task<List<string>> EntryNamesAsync(Stream archive)
    {
        var names = new List<string>();
        await using var reader = new TarReader(archive, leaveOpen: true);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    /// <summary>Copies an archive entry by entry; <paramref name="change"/> returns new content for a file, or null to drop it.</summary>
    private static async Task<MemoryStream> RewriteAsync(Stream archive, Func<string, byte[], byte[]?> change)
    {
        var output = new MemoryStream();
        await using (var reader = new TarReader(archive, leaveOpen: true))
        await using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
            {
                if (entry.EntryType != TarEntryType.RegularFile)
                {
                    await writer.WriteEntryAsync(entry);
                    continue;
                }

                using var content = new MemoryStream();
                await entry.DataStream!.CopyToAsync(content);
                if (change(entry.Name, content.ToArray()) is { } bytes)
                {
                    await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(bytes) });
                }
            }
        }

        output.Position = 0;
        return output;
    }
}
