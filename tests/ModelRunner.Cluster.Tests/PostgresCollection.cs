namespace ModelRunner.Cluster.Tests;

/// <summary>One PostgreSQL server for every cluster test; each test has a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
