using System.Globalization;
using System.Net;
using DistributedSync.Bson;
using DistributedSync.Emulator.Auth;

namespace DistributedSync.Emulator.Server;

/// <summary>
/// The server's view of one client connection: its id, addresses, handshake metadata and
/// authenticated user. Requests on one connection run one at a time, so handlers may read and
/// update it without locking.
/// </summary>
public sealed class ConnectionState
{
    /// <summary>Creates the state of connection <paramref name="id"/>.</summary>
    /// <param name="id">The connection id (increasing from 1 per server).</param>
    /// <param name="remote">The client's address, or null when unknown (in-process tests).</param>
    /// <param name="local">The server address the client connected to, or null.</param>
    /// <param name="closed">Cancelled when the connection closes or the server stops.</param>
    public ConnectionState(long id, IPEndPoint? remote, IPEndPoint? local, CancellationToken closed = default)
    {
        Id = id;
        RemoteEndPoint = remote;
        LocalEndPoint = local;
        Closed = closed;
    }

    /// <summary>The connection id mongod reports as <c>connectionId</c>.</summary>
    public long Id { get; }

    /// <summary>The log context name, <c>conn&lt;id&gt;</c>.</summary>
    public string Name => "conn" + Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The client's address.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The local address accepted on.</summary>
    public IPEndPoint? LocalEndPoint { get; }

    /// <summary>The client's address as mongod prints it (<c>127.0.0.1:53422</c>, <c>[::1]:53422</c>).</summary>
    public string RemoteAddress => RemoteEndPoint is null ? "unknown" : FormatEndPoint(RemoteEndPoint);

    /// <summary>Cancelled when the connection closes or the server shuts down.</summary>
    public CancellationToken Closed { get; }

    /// <summary>The <c>client</c> metadata document of the first hello, or null.</summary>
    public BsonDocument? ClientMetadata { get; internal set; }

    /// <summary>True once a hello/isMaster has been answered on this connection.</summary>
    public bool HelloSeen { get; internal set; }

    /// <summary>The authenticated user, or null.</summary>
    public AuthenticatedUser? User { get; internal set; }

    /// <summary>True when a user has authenticated on this connection.</summary>
    public bool IsAuthenticated => User is not null;

    /// <summary>The SASL conversation in progress (between saslStart and its last saslContinue).</summary>
    internal ScramServerConversation? Sasl { get; set; }

    /// <summary>Formats an endpoint as mongod does: IPv6 addresses in brackets.</summary>
    public static string FormatEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        var port = endPoint.Port.ToString(CultureInfo.InvariantCulture);
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? "[" + address + "]:" + port
            : address + ":" + port;
    }
}
