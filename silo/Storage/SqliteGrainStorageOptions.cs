using Orleans;
using Orleans.Storage;

namespace ModelRunner.Silo.Storage;

/// <summary>
/// Settings of one SQLite grain storage provider (one per provider name). Checked when the silo
/// starts: a missing <see cref="DatabasePath"/> fails start-up with a message naming it.
/// </summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>
    /// The SQLite file holding the state, e.g. <c>&lt;home&gt;/state.db</c>. Required; no default.
    /// A relative path is taken from the working directory. The folder is created if missing.
    /// Several providers (or processes) may share one file.
    /// </summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// The silo lifecycle stage at which the file is opened and its schema migrated, so that an
    /// unusable file fails start-up rather than the first grain call. Default:
    /// <see cref="ServiceLifecycleStage.ApplicationServices"/>, before any grain is activated.
    /// </summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>
    /// How state is turned into the stored bytes. Default, as for Orleans' own providers: the
    /// <see cref="IGrainStorageSerializer"/> registered under this provider's name, else the
    /// silo's (Orleans' JSON serializer unless replaced), so the same state types can move to
    /// another provider. Left null, it is filled in after configuration (Orleans'
    /// <see cref="DefaultStorageProviderSerializerOptionsConfigurator{TOptions}"/>).
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
