using System.Globalization;
using DistributedSync.Daemon.Configuration;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Embedded;

/// <summary>How one embedded node is started: derived from its configured URI and the data directory.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="BindIp">The address to listen on (the URI's host).</param>
/// <param name="Port">The port (the URI's port).</param>
/// <param name="DbPath">The absolute data directory, <c>&lt;DataDirectory&gt;/&lt;Name&gt;</c>.</param>
/// <param name="User">The root user to create when the URI has credentials, else null.</param>
/// <param name="Password">That user's password, else null.</param>
public sealed record EmbeddedNodePlan(string Name, string BindIp, int Port, string DbPath, string? User, string? Password)
{
    /// <summary>The plan for <paramref name="node"/>.</summary>
    /// <param name="node">The validated node settings.</param>
    /// <param name="dataDirectory">The data directory (relative to <paramref name="workingDirectory"/> unless absolute).</param>
    /// <param name="workingDirectory">The daemon's working directory.</param>
    public static EmbeddedNodePlan For(NodeOptions node, string dataDirectory, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(node);
        var uri = MongoConnectionString.Parse(node.Uri);
        var host = uri.Hosts[0];
        var bindIp = string.Equals(host.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" : host.Host;
        var dbPath = Path.GetFullPath(Path.Combine(dataDirectory, node.Name), workingDirectory);
        var withCredentials = !string.IsNullOrEmpty(uri.Username) && !string.IsNullOrEmpty(uri.Password);
        return new EmbeddedNodePlan(node.Name, bindIp, host.Port, dbPath, withCredentials ? uri.Username : null, withCredentials ? uri.Password : null);
    }

    /// <summary>
    /// The emulator's command line: <c>--port</c>, <c>--dbpath</c>, <c>--bind_ip</c>,
    /// <c>--parentPid</c> (the node exits when the daemon is gone, even after <c>kill -9</c>) and,
    /// with credentials, <c>--auth --user --password</c>.
    /// </summary>
    public IReadOnlyList<string> Arguments(int parentProcessId)
    {
        var arguments = new List<string>
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--dbpath", DbPath,
            "--bind_ip", BindIp,
            "--parentPid", parentProcessId.ToString(CultureInfo.InvariantCulture),
        };
        if (User is not null && Password is not null)
        {
            arguments.AddRange(["--auth", "--user", User, "--password", Password]);
        }

        return arguments;
    }

    /// <summary>The plan without the password.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Name} on {BindIp}:{Port} (dbpath {DbPath}{(User is null ? string.Empty : ", user " + User)})");
}
