using DistributedSync.Mongo.Authentication;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Mongo.Connections;

/// <summary>
/// Everything needed to open and use connections to one server. Built by the client from its
/// connection string; tests build it directly.
/// </summary>
internal sealed record ConnectionSettings
{
    /// <summary>The server: host name, IP address or Unix socket path, and port.</summary>
    public required MongoHost Server { get; init; }

    /// <summary><c>host:port</c> (IPv6 literals in brackets, or the socket path), for messages.</summary>
    public string Endpoint => Server.ToString();

    /// <summary>Bounds opening a connection: TCP connect, TLS, handshake and authentication.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bounds each request/reply exchange on an open connection; null for none.</summary>
    public TimeSpan? SocketTimeout { get; init; }

    /// <summary>Whether to wrap the connection in TLS.</summary>
    public bool Tls { get; init; }

    /// <summary>A PEM file of certificate authorities to trust instead of the system store.</summary>
    public string? TlsCAFile { get; init; }

    /// <summary>Accept any server certificate (tests only: this disables server authentication).</summary>
    public bool TlsAllowInvalidCertificates { get; init; }

    /// <summary>Accept a certificate whose name does not match the host.</summary>
    public bool TlsAllowInvalidHostnames { get; init; }

    /// <summary>The application name sent in the handshake.</summary>
    public string? ApplicationName { get; init; }

    /// <summary>The credential to authenticate every connection with, or null.</summary>
    public MongoCredential? Credential { get; init; }

    /// <summary>The clock for timestamps and timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A description without secrets.</summary>
    public override string ToString() => $"ConnectionSettings {{ Endpoint = {Endpoint}, Tls = {Tls}, Credential = {(Credential is null ? "none" : Credential.ToString())} }}";
}
