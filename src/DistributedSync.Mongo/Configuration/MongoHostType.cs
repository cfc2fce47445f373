namespace DistributedSync.Mongo.Configuration;

/// <summary>The kinds of host a connection string can name (the connection-string spec tests' host types).</summary>
public enum MongoHostType
{
    /// <summary>A DNS host name (possibly non-ASCII), e.g. <c>example.com</c> or <c>256.0.0.1</c>.</summary>
    Hostname,

    /// <summary>A dotted-quad IPv4 address, e.g. <c>127.0.0.1</c>.</summary>
    IPv4,

    /// <summary>An IPv6 address written in brackets, e.g. <c>[::1]</c>; <see cref="MongoHost.Host"/> holds it without brackets.</summary>
    IPLiteral,

    /// <summary>A Unix domain socket path ending in <c>.sock</c>, percent-encoded in the string (<c>%2Ftmp%2Fm.sock</c>).</summary>
    UnixSocket,
}
