using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DistributedSync.Mongo.Configuration;

/// <summary>
/// One seed host of a connection string: a host name, an IPv4 address, an IPv6 literal (stored
/// without brackets) or a Unix domain socket path (stored decoded), with its port.
/// </summary>
public sealed record MongoHost
{
    /// <summary>The port used when none is given: 27017.</summary>
    public const int DefaultPort = 27017;

    /// <summary>Creates a host; <paramref name="port"/> must be 1-65535 (it is ignored for Unix sockets).</summary>
    public MongoHost(string host, int port = DefaultPort, MongoHostType type = MongoHostType.Hostname)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (type != MongoHostType.UnixSocket)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        }

        Host = host;
        Port = type == MongoHostType.UnixSocket ? 0 : port;
        Type = type;
    }

    /// <summary>The host name, address (IPv6 without brackets) or decoded socket path.</summary>
    public string Host { get; }

    /// <summary>The TCP port (default 27017); 0 for a Unix socket.</summary>
    public int Port { get; }

    /// <summary>What kind of host this is.</summary>
    public MongoHostType Type { get; }

    /// <summary>
    /// Parses one <c>host[:port]</c>, <c>[ipv6][:port]</c> or percent-encoded socket path, as it
    /// appears in a connection string or in a server's <c>hello</c> reply.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid host identifier.</exception>
    public static MongoHost Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return HostParser.TryParse(text, redact: false, out var host, out var error)
            ? host
            : throw new FormatException("Invalid host: " + error);
    }

    /// <summary>The endpoint to connect to: <see cref="IPEndPoint"/>, <see cref="DnsEndPoint"/> or <see cref="UnixDomainSocketEndPoint"/>.</summary>
    public EndPoint ToEndPoint() => Type switch
    {
        MongoHostType.UnixSocket => new UnixDomainSocketEndPoint(Host),
        MongoHostType.IPv4 or MongoHostType.IPLiteral => new IPEndPoint(IPAddress.Parse(Host), Port),
        _ => new DnsEndPoint(Host, Port),
    };

    /// <summary><c>host:port</c>, <c>[ipv6]:port</c>, or the socket path.</summary>
    public override string ToString() => Type switch
    {
        MongoHostType.UnixSocket => Host,
        MongoHostType.IPLiteral => "[" + Host + "]:" + Port.ToString(CultureInfo.InvariantCulture),
        _ => Host + ":" + Port.ToString(CultureInfo.InvariantCulture),
    };
}
