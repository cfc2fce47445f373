using System.Globalization;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Sync;

/// <summary>
/// The connection string the engine uses for a node: the configured one, plus a socket timeout
/// when it sets none. Without one, an exchange whose bytes were lost on the way (a network
/// partition that heals, a blackholing middlebox) would wait for its reply forever on a connection
/// that still looks healthy, and the task doing it (a slave's tailing, the master's group commit)
/// would stall silently. With it, the exchange fails, the connection is dropped and the task is
/// restarted by the decider.
/// </summary>
internal static class NodeConnectionString
{
    /// <summary>The socket timeout added when the node's URI sets no <c>socketTimeoutMS</c>.</summary>
    public static readonly TimeSpan DefaultSocketTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Parses <paramref name="uri"/> and adds <c>socketTimeoutMS</c> when absent.</summary>
    public static MongoConnectionString WithDefaults(string uri)
    {
        var parsed = MongoConnectionString.Parse(uri);
        if (parsed.Options.Keys.Any(k => string.Equals(k, "socketTimeoutMS", StringComparison.OrdinalIgnoreCase)))
        {
            return parsed;
        }

        var option = "socketTimeoutMS=" + ((long)DefaultSocketTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        var withOption = uri.Contains('?', StringComparison.Ordinal) ? uri + (uri.EndsWith('?') || uri.EndsWith('&') ? string.Empty : "&") + option
            : uri.IndexOf('/', schemeEnd) >= 0 ? uri + "?" + option
            : uri + "/?" + option;
        return MongoConnectionString.Parse(withOption);
    }
}
