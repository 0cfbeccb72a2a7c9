using Npgsql;

namespace ModelRunner.Silo.Cluster;

/// <summary>
/// The PostgreSQL schema Orleans' ADO.NET clustering and persistence providers work on. Orleans
/// ships its scripts in its source tree, not in the packages; this is ours, written for the
/// providers' query contract: they read every query they run from <c>OrleansQuery</c> by key, bind
/// parameters by name and read result columns by name. Applying it is idempotent and safe when
/// several nodes start at once (one transaction under an advisory lock), so an empty database is
/// all a cluster needs.
/// </summary>
public static class PostgresSchema
{
    // Any constant: every node takes the same lock while it creates or updates the schema.
    private const long SchemaLock = 0x4d6f64656c52756e;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS OrleansQuery (
            querykey  varchar(64)   NOT NULL PRIMARY KEY,
            querytext varchar(8000) NOT NULL
        );

        -- One row per cluster: its membership version, bumped by every membership change.
        CREATE TABLE IF NOT EXISTS orleans_membership_version (
            deploymentid varchar(150) NOT NULL PRIMARY KEY,
            stamp        timestamptz  NOT NULL DEFAULT now(),
            version      integer      NOT NULL DEFAULT 0
        );

        -- One row per silo incarnation (address, port, generation).
        CREATE TABLE IF NOT EXISTS orleans_membership (
            deploymentid varchar(150)  NOT NULL REFERENCES orleans_membership_version (deploymentid),
            address      varchar(45)   NOT NULL,
            port         integer       NOT NULL,
            generation   integer       NOT NULL,
            siloname     varchar(150)  NOT NULL,
            hostname     varchar(150)  NOT NULL,
            status       integer       NOT NULL,
            proxyport    integer       NULL,
            suspecttimes varchar(8000) NULL,
            starttime    timestamptz   NOT NULL,
            iamalivetime timestamptz   NOT NULL,
            PRIMARY KEY (deploymentid, address, port, generation)
        );

        -- Grain state: one row per (service, grain type, grain id), versioned for optimistic concurrency.
        CREATE TABLE IF NOT EXISTS orleans_grain_state (
            grainidhash            integer      NOT NULL,
            grainidn0              bigint       NOT NULL,
            grainidn1              bigint       NOT NULL,
            graintypehash          integer      NOT NULL,
            graintypestring        varchar(512) NOT NULL,
            grainidextensionstring varchar(512) NULL,
            serviceid              varchar(150) NOT NULL,
            payloadbinary          bytea        NULL,
            modifiedon             timestamptz  NOT NULL,
            version                integer      NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_key ON orleans_grain_state
            (serviceid, graintypestring, grainidn0, grainidn1, COALESCE(grainidextensionstring, ''));
        CREATE INDEX IF NOT EXISTS orleans_grain_state_hashes ON orleans_grain_state (grainidhash, graintypehash);
        """;

    private const string MemberKey = "deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation";

    private const string GrainKey = """
        grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
        AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
        AND graintypestring = @GrainTypeString
        AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
        AND serviceid = @ServiceId
        """;

    private const string MemberColumns = """
        v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
        m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime, v.version
        """;

    /// <summary>The queries, by the keys the providers look them up with.</summary>
    private static readonly (string Key, string Text)[] Queries =
    [
        ("InsertMembershipVersionKey", """
            WITH created AS (
                INSERT INTO orleans_membership_version (deploymentid) VALUES (@DeploymentId)
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*)::integer FROM created;
            """),
        ("UpdateIAmAlivetimeKey", $"UPDATE orleans_membership SET iamalivetime = @IAmAliveTime WHERE {MemberKey};"),
        // A membership change happens only if nobody changed the table since the caller read
        // its version: the version row is bumped first, and the member row changes only with it.
        ("InsertMembershipKey", $"""
            WITH bumped AS (
                UPDATE orleans_membership_version SET version = version + 1, stamp = now()
                WHERE deploymentid = @DeploymentId AND version = @Version
                  AND NOT EXISTS (SELECT 1 FROM orleans_membership WHERE {MemberKey})
                RETURNING deploymentid),
            inserted AS (
                INSERT INTO orleans_membership (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
                SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime FROM bumped
                ON CONFLICT DO NOTHING RETURNING 1)
            SELECT count(*)::integer FROM inserted;
            """),
        ("UpdateMembershipKey", $"""
            WITH bumped AS (
                UPDATE orleans_membership_version SET version = version + 1, stamp = now()
                WHERE deploymentid = @DeploymentId AND version = @Version
                  AND EXISTS (SELECT 1 FROM orleans_membership WHERE {MemberKey})
                RETURNING deploymentid),
            updated AS (
                UPDATE orleans_membership m SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
                FROM bumped
                WHERE m.deploymentid = bumped.deploymentid AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
                RETURNING 1)
            SELECT count(*)::integer FROM updated;
            """),
        ("MembershipReadRowKey", $"""
            SELECT {MemberColumns}
            FROM orleans_membership_version v
            LEFT JOIN orleans_membership m ON m.deploymentid = v.deploymentid
                AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
            WHERE v.deploymentid = @DeploymentId;
            """),
        ("MembershipReadAllKey", $"""
            SELECT {MemberColumns}
            FROM orleans_membership_version v
            LEFT JOIN orleans_membership m ON m.deploymentid = v.deploymentid
            WHERE v.deploymentid = @DeploymentId;
            """),
        ("DeleteMembershipTableEntriesKey", """
            DELETE FROM orleans_membership WHERE deploymentid = @DeploymentId;
            DELETE FROM orleans_membership_version WHERE deploymentid = @DeploymentId;
            """),
        ("GatewaysQueryKey", """
            SELECT address, proxyport, generation FROM orleans_membership
            WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;
            """),
        // Status 3 is Active: a silo that still claims to be alive is never cleaned up.
        ("CleanupDefunctSiloEntriesKey", """
            DELETE FROM orleans_membership
            WHERE deploymentid = @DeploymentId AND iamalivetime < @IAmAliveTime AND status <> 3;
            """),
        ("ReadFromStorageKey", $"""
            SELECT payloadbinary AS PayloadBinary, now() AS ReadAt, version AS Version
            FROM orleans_grain_state WHERE {GrainKey};
            """),
        // With a version: replace the row holding exactly that version. Without: create it, once.
        // Either way the answer is the version now stored, or the caller's when nothing changed.
        ("WriteToStorageKey", $"""
            WITH updated AS (
                UPDATE orleans_grain_state
                SET payloadbinary = @PayloadBinary, modifiedon = now(), version = version + 1
                WHERE @GrainStateVersion IS NOT NULL AND {GrainKey} AND version = @GrainStateVersion
                RETURNING version),
            inserted AS (
                INSERT INTO orleans_grain_state (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring, grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
                SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @PayloadBinary, now(), 1
                WHERE @GrainStateVersion IS NULL
                ON CONFLICT DO NOTHING RETURNING version)
            SELECT COALESCE((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion) AS NewGrainStateVersion;
            """),
        ("ClearStorageKey", $"""
            UPDATE orleans_grain_state SET payloadbinary = NULL, version = version + 1
            WHERE {GrainKey} AND version = @GrainStateVersion
            RETURNING version AS NewGrainStateVersion;
            """),
        ("DeleteStorageKey", $"""
            DELETE FROM orleans_grain_state
            WHERE {GrainKey} AND version = @GrainStateVersion
            RETURNING version + 1 AS NewGrainStateVersion;
            """),
    ];

    /// <summary>Creates whatever is missing and brings every query up to date.</summary>
    /// <exception cref="NpgsqlException">The database cannot be reached or refuses (the message says why).</exception>
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({SchemaLock});", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, Tables, cancellationToken).ConfigureAwait(false);
        foreach (var (key, text) in Queries)
        {
            await using var upsert = new NpgsqlCommand(
                "INSERT INTO OrleansQuery (querykey, querytext) VALUES ($1, $2) ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;",
                connection,
                transaction);
            upsert.Parameters.AddWithValue(key);
            upsert.Parameters.AddWithValue(text);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
