using Orleans;
using Orleans.Runtime;

namespace ModelRunner.Silo.Storage;

/// <summary>Fails silo start-up when a SQLite grain storage provider is not configured usably.</summary>
internal sealed class SqliteGrainStorageOptionsValidator(SqliteGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            throw new OrleansConfigurationException($"{nameof(SqliteGrainStorageOptions)}.{nameof(SqliteGrainStorageOptions.DatabasePath)} of the SQLite grain storage \"{name}\" is required: the file that holds grain state.");
        }

        if (options.GrainStorageSerializer is null)
        {
            throw new OrleansConfigurationException($"{nameof(SqliteGrainStorageOptions)}.{nameof(SqliteGrainStorageOptions.GrainStorageSerializer)} of the SQLite grain storage \"{name}\" is null and no IGrainStorageSerializer is registered.");
        }
    }
}
