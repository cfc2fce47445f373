using System.Globalization;
using System.Net;
using DistributedSync.Mongo.Configuration;
using Microsoft.Extensions.Options;

namespace DistributedSync.Daemon.Configuration;

/// <summary>
/// Checks <see cref="DistributedSyncOptions"/> at start (registered with <c>ValidateOnStart</c>).
/// Every failure is reported, each as one message beginning with the configuration key at fault
/// (e.g. <c>DistributedSync:Nodes:1:Uri: ...</c>); node keys use the node's 0-based position.
/// </summary>
public sealed class DistributedSyncOptionsValidator : IValidateOptions<DistributedSyncOptions>
{
    private const string Section = DistributedSyncOptions.SectionName;

    /// <summary>The longest node name.</summary>
    public const int MaxNodeNameLength = 64;

    /// <summary>The largest oplog size in MiB (1 TiB).</summary>
    public const int MaxOplogSizeMB = 1024 * 1024;

    /// <summary>The largest request body limit (1 GiB).</summary>
    public const long MaxRequestBodyLimit = 1024L * 1024 * 1024;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DistributedSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.ConfigurationErrors);
        if (failures.Count > 0)
        {
            // The values were not bound: checking the defaults would only add noise.
            return ValidateOptionsResult.Fail(failures);
        }

        ValidateNodes(options, failures);
        ValidateDatabases(options, failures);
        ValidateEmbedded(options.Embedded, failures);
        ValidateElection(options.Election, failures);
        ValidateReplication(options.Replication, failures);
        ValidateHttp(options.Http, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether <paramref name="name"/> is an acceptable node name.</summary>
    public static bool IsValidNodeName(string? name)
        => !string.IsNullOrEmpty(name) && name.Length <= MaxNodeNameLength && name[0] != '.'
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void ValidateNodes(DistributedSyncOptions options, List<string> failures)
    {
        var nodes = options.Nodes;
        if (nodes.Count < 3 || nodes.Count % 2 == 0)
        {
            failures.Add(Invariant($"{Section}:Nodes: {nodes.Count} node(s) configured; at least 3 are needed, and an odd count (3, 5, 7, ...) so that a majority is always decisive."));
        }

        var ids = new Dictionary<int, int>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var servers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var key = Invariant($"{Section}:Nodes:{i}");
            if (node is null)
            {
                failures.Add($"{key}: the node has no settings (Id, Name and Uri are required).");
                continue;
            }

            if (node.Id <= 0)
            {
                failures.Add(Invariant($"{key}:Id: must be a positive integer (got {node.Id})."));
            }
            else if (!ids.TryAdd(node.Id, i))
            {
                failures.Add(Invariant($"{key}:Id: {node.Id} is already the id of {Section}:Nodes:{ids[node.Id]}; node ids must be unique."));
            }

            if (string.IsNullOrWhiteSpace(node.Name))
            {
                failures.Add($"{key}:Name: is required.");
            }
            else if (!IsValidNodeName(node.Name))
            {
                failures.Add(Invariant($"{key}:Name: '{node.Name}' is not a valid node name (letters, digits, '-', '_' and '.', at most {MaxNodeNameLength} characters, not starting with '.')."));
            }
            else if (!names.TryAdd(node.Name, i))
            {
                failures.Add(Invariant($"{key}:Name: '{node.Name}' is already the name of {Section}:Nodes:{names[node.Name]}; node names must be unique (ignoring case)."));
            }

            if (ValidateUri(key + ":Uri", node.Uri, options.Embedded.Enabled, failures) is { } host)
            {
                // Embedded nodes all listen on loopback, so only the port tells them apart.
                var server = options.Embedded.Enabled ? "port " + host.Port.ToString(CultureInfo.InvariantCulture) : host.ToString();
                if (!servers.TryAdd(server, i))
                {
                    failures.Add(Invariant($"{key}:Uri: names the same server ({server}) as {Section}:Nodes:{servers[server]}:Uri; every node must be a different server."));
                }
            }
        }
    }

    private static MongoHost? ValidateUri(string key, string? uri, bool embedded, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            failures.Add($"{key}: is required (a mongodb:// connection string such as mongodb://127.0.0.1:27017).");
            return null;
        }

        if (!MongoConnectionString.TryParse(uri, out var parsed, out var error))
        {
            // The parser's messages never show the password, and neither does this one.
            failures.Add($"{key}: not a valid mongodb:// connection string: {error}");
            return null;
        }

        if (parsed.IsSrv)
        {
            failures.Add($"{key}: '{parsed}' uses mongodb+srv://, which needs DNS SRV lookups this daemon cannot make; use mongodb://host:port.");
            return null;
        }

        if (parsed.Hosts.Count != 1)
        {
            failures.Add(Invariant($"{key}: '{parsed}' names {parsed.Hosts.Count} hosts; each node is one standalone server, so name exactly one."));
            return null;
        }

        var host = parsed.Hosts[0];
        if (embedded && !IsLoopback(host))
        {
            failures.Add($"{key}: '{parsed}' is not on this machine; with {Section}:Embedded:Enabled=true every node must be 127.0.0.1, localhost or ::1.");
            return null;
        }

        return host;
    }

    private static bool IsLoopback(MongoHost host)
        => host.Type != MongoHostType.UnixSocket
            && (string.Equals(host.Host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host.Host, out var address) && IPAddress.IsLoopback(address)));

    private static void ValidateDatabases(DistributedSyncOptions options, List<string> failures)
    {
        var dataOk = ValidateDatabaseName($"{Section}:Database", options.Database, failures);
        var metaOk = ValidateDatabaseName($"{Section}:MetadataDatabase", options.MetadataDatabase, failures);
        if (dataOk && metaOk && string.Equals(options.Database, options.MetadataDatabase, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Section}:MetadataDatabase: '{options.MetadataDatabase}' is also {Section}:Database; the daemon's own state needs a database of its own.");
        }
    }

    private static bool ValidateDatabaseName(string key, string? name, List<string> failures)
    {
        if (string.IsNullOrEmpty(name))
        {
            failures.Add($"{key}: is required.");
            return false;
        }

        if (name.Length > 63 || name.IndexOfAny(['/', '\\', '.', ' ', '"', '$', '*', '<', '>', ':', '|', '?', '\0']) >= 0)
        {
            failures.Add($"{key}: '{name}' is not a valid MongoDB database name (at most 63 characters, none of / \\ . space \" $ * < > : | ?).");
            return false;
        }

        if (name is "admin" or "local" or "config")
        {
            failures.Add($"{key}: '{name}' is reserved by MongoDB.");
            return false;
        }

        return true;
    }

    private static void ValidateEmbedded(EmbeddedOptions embedded, List<string> failures)
    {
        if (!embedded.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(embedded.DataDirectory))
        {
            failures.Add($"{Section}:Embedded:DataDirectory: is required when {Section}:Embedded:Enabled is true.");
        }
        else if (embedded.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"{Section}:Embedded:DataDirectory: '{embedded.DataDirectory}' is not a valid path.");
        }

        if (embedded.StartTimeoutMs <= 0)
        {
            failures.Add(Invariant($"{Section}:Embedded:StartTimeoutMs: must be positive (got {embedded.StartTimeoutMs})."));
        }

        if (embedded.StopGraceMs < 0)
        {
            failures.Add(Invariant($"{Section}:Embedded:StopGraceMs: must not be negative (got {embedded.StopGraceMs})."));
        }
    }

    private static void ValidateElection(ElectionOptions election, List<string> failures)
    {
        if (election.HeartbeatIntervalMs <= 0)
        {
            failures.Add(Invariant($"{Section}:Election:HeartbeatIntervalMs: must be positive (got {election.HeartbeatIntervalMs})."));
        }

        if (election.FailureTimeoutMs <= 0)
        {
            failures.Add(Invariant($"{Section}:Election:FailureTimeoutMs: must be positive (got {election.FailureTimeoutMs})."));
        }
        else if (election.HeartbeatIntervalMs > 0 && election.FailureTimeoutMs <= election.HeartbeatIntervalMs)
        {
            failures.Add(Invariant($"{Section}:Election:FailureTimeoutMs: {election.FailureTimeoutMs} must be greater than {Section}:Election:HeartbeatIntervalMs ({election.HeartbeatIntervalMs}), or a single late heartbeat would declare a node down."));
        }
    }

    private static void ValidateReplication(ReplicationOptions replication, List<string> failures)
    {
        if (replication.OplogSizeMB is <= 0 or > MaxOplogSizeMB)
        {
            failures.Add(Invariant($"{Section}:Replication:OplogSizeMB: must be between 1 and {MaxOplogSizeMB} (got {replication.OplogSizeMB})."));
        }

        if (replication.BatchSize is <= 0 or > ReplicationOptions.MaxBatchSize)
        {
            failures.Add(Invariant($"{Section}:Replication:BatchSize: must be between 1 and {ReplicationOptions.MaxBatchSize} (got {replication.BatchSize})."));
        }
    }

    private static void ValidateHttp(HttpOptions http, List<string> failures)
    {
        var urls = http.UrlList();
        if (urls.Count == 0)
        {
            failures.Add($"{Section}:Http:Urls: is required (e.g. {HttpOptions.DefaultUrls}).");
        }

        foreach (var url in urls)
        {
            if (!System.Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.AbsolutePath != "/" || parsed.Query.Length > 0)
            {
                failures.Add($"{Section}:Http:Urls: '{url}' is not an http:// or https:// address such as {HttpOptions.DefaultUrls} (several are separated by ';').");
            }
        }

        if (http.MaxRequestBodyBytes is <= 0 or > MaxRequestBodyLimit)
        {
            failures.Add(Invariant($"{Section}:Http:MaxRequestBodyBytes: must be between 1 and {MaxRequestBodyLimit} (got {http.MaxRequestBodyBytes})."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
