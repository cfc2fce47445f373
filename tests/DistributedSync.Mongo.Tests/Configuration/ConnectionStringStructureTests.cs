using System.Net;
using System.Net.Sockets;
using DistributedSync.Mongo.Authentication;
using DistributedSync.Mongo.Configuration;
using Xunit;

namespace DistributedSync.Mongo.Tests.Configuration;

public sealed class ConnectionStringStructureTests
{
    /// <summary>Invalid strings and a fragment the error message must contain (it names the problem).</summary>
    public static TheoryData<string, string> Invalid => new()
    {
        { "", "empty" },
        { "localhost:27017", "must start with 'mongodb://'" },
        { "http://localhost", "scheme found: 'http'" },
        { "mongodb://", "no host" },
        { "mongodb://localhost:70000", "port must be an integer from 1 to 65535" },
        { "mongodb://localhost:", "no port" },
        { "mongodb://a,,b", "host #2" },
        { "mongodb://localhost::27017", "more than one ':'" },
        { "mongodb://[::1", "no closing ']'" },
        { "mongodb://[nothex]:27017", "not a valid IPv6" },
        { "mongodb://%2Ftmp%2Fdir", "'.sock'" },
        { "mongodb://alice:p:q@localhost", "more than one ':'" },
        { "mongodb://alice@b@localhost", "unescaped '@'" },
        { "mongodb://al%zzce@localhost", "'%'" },
        { "mongodb://alice/@localhost/db", "unescaped '/'" },
        { "mongodb://localhost/my%20db", "database name" },
        { "mongodb://localhost/a$b", "cannot contain" },
        { "mongodb://localhost/?w", "has no value" },
        { "mongodb://localhost/?=1", "empty key" },
        { "mongodb://localhost/?appName=%E0%A4", "'%'" },
        { "mongodb://localhost/?tls=true&ssl=false", "'tls' and 'ssl'" },
        { "mongodb://localhost/?tlsInsecure=true&tlsAllowInvalidCertificates=true", "cannot both be given" },
        { "mongodb://localhost/?tlsInsecure=false&tlsAllowInvalidHostnames=false", "cannot both be given" },
        { "mongodb://localhost/?tlsAllowInvalidCertificates=true&tlsDisableOCSPEndpointCheck=true", "cannot both be given" },
        { "mongodb://a,b/?directConnection=true", "directConnection=true" },
        { "mongodb://a,b/?loadBalanced=true", "loadBalanced=true" },
        { "mongodb://a/?loadBalanced=true&replicaSet=rs", "replicaSet" },
        { "mongodb://a/?journal=true&w=0", "w=0" },
        { "mongodb://a/?readPreferenceTags=dc:ny", "primary read preference" },
        { "mongodb://a/?maxStalenessSeconds=120", "primary read preference" },
        { "mongodb://a/?minPoolSize=10&maxPoolSize=5", "minPoolSize (10)" },
        { "mongodb://a/?proxyPort=1080", "needs proxyHost" },
        { "mongodb://a/?srvServiceName=custom", "mongodb+srv" },
        { "mongodb+srv://a.example.com,b.example.com", "exactly one host" },
        { "mongodb+srv://a.example.com:27017", "without a port" },
        { "mongodb+srv://127.0.0.1", "without a port" },
        { "mongodb+srv://a.example.com/?directConnection=true", "directConnection=true" },
        { "mongodb://a/?authSource=", "authSource cannot be empty" },
        { "mongodb://@a", "user name" },
        { "mongodb://a/?authMechanism=SCRAM-SHA-256", "user name" },
        { "mongodb://a/?authMechanism=NOPE", "not supported" },
        { "mongodb://u:p@a/?authMechanism=MONGODB-X509", "does not take a password" },
        { "mongodb://u@a/?authMechanism=GSSAPI&authSource=admin", "$external" },
        { "mongodb://u@a/?authMechanism=GSSAPI&authMechanismProperties=CANONICALIZE_HOST_NAME:sometimes", "CANONICALIZE_HOST_NAME" },
        { "mongodb://u:p@a/?authMechanismProperties=A:b", "does not take authMechanismProperties" },
        { "mongodb://u@a/?authMechanism=MONGODB-AWS", "MONGODB-AWS" },
        { "mongodb://a/?authMechanism=MONGODB-OIDC&authMechanismProperties=ENVIRONMENT:mars", "ENVIRONMENT" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_strings_fail_with_a_precise_message(string connectionString, string fragment)
    {
        var ex = Assert.Throws<MongoConnectionStringException>(() => MongoConnectionString.Parse(connectionString));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);

        Assert.False(MongoConnectionString.TryParse(connectionString, out var result, out var error));
        Assert.Null(result);
        Assert.Equal(ex.Message, error);
    }

    [Fact]
    public void TryParse_of_null_fails()
        => Assert.False(MongoConnectionString.TryParse(null, out _));

    [Fact]
    public void Parse_of_null_throws()
        => Assert.Throws<ArgumentNullException>(() => MongoConnectionString.Parse(null!));

    [Fact]
    public void Hosts_of_every_kind()
    {
        var cs = MongoConnectionString.Parse("mongodb://example.com,10.0.0.1:27018,[fe80::1]:27019,%2Ftmp%2Fm.sock/db");

        Assert.Equal(
            [
                new MongoHost("example.com", 27017, MongoHostType.Hostname),
                new MongoHost("10.0.0.1", 27018, MongoHostType.IPv4),
                new MongoHost("fe80::1", 27019, MongoHostType.IPLiteral),
                new MongoHost("/tmp/m.sock", 0, MongoHostType.UnixSocket),
            ],
            cs.Hosts);
        Assert.Equal("db", cs.DatabaseName);
        Assert.IsType<DnsEndPoint>(cs.Hosts[0].ToEndPoint());
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 27018), cs.Hosts[1].ToEndPoint());
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 1).AddressFamily, cs.Hosts[2].ToEndPoint().AddressFamily);
        Assert.IsType<UnixDomainSocketEndPoint>(cs.Hosts[3].ToEndPoint());
        Assert.Equal("[fe80::1]:27019", cs.Hosts[2].ToString());
    }

    [Theory]
    [InlineData("db1.example.com:27018", "db1.example.com", 27018, MongoHostType.Hostname)]
    [InlineData("127.0.0.1", "127.0.0.1", 27017, MongoHostType.IPv4)]
    [InlineData("[::1]:30000", "::1", 30000, MongoHostType.IPLiteral)]
    public void Host_parse_accepts_hello_style_addresses(string text, string host, int port, MongoHostType type)
        => Assert.Equal(new MongoHost(host, port, type), MongoHost.Parse(text));

    [Fact]
    public void Host_parse_rejects_garbage()
        => Assert.Throws<FormatException>(() => MongoHost.Parse("a:b:c"));

    [Fact]
    public void Srv_string_parses_but_cannot_be_resolved()
    {
        var cs = MongoConnectionString.Parse("mongodb+srv://cluster0.example.com/app?retryWrites=false");

        Assert.True(cs.IsSrv);
        Assert.Equal("mongodb+srv", cs.Scheme);
        Assert.True(cs.Tls);
        Assert.Equal("mongodb", cs.SrvServiceName);
        Assert.Equal("cluster0.example.com", Assert.Single(cs.Hosts).Host);
        var ex = Assert.Throws<NotSupportedException>(() => cs.ResolveSeedList());
        Assert.Contains("SRV", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Srv_allows_tls_false_and_srv_options()
    {
        var cs = MongoConnectionString.Parse("mongodb+srv://c.example.com/?tls=false&srvServiceName=custom&srvMaxHosts=2");

        Assert.False(cs.Tls);
        Assert.Equal("custom", cs.SrvServiceName);
        Assert.Equal(2, cs.SrvMaxHosts);
    }

    [Fact]
    public void Plain_string_resolves_to_its_hosts()
    {
        var cs = MongoConnectionString.Parse("mongodb://a,b:27018");

        Assert.Same(cs.Hosts, cs.ResolveSeedList());
    }

    [Theory]
    [InlineData("mongodb://u:p@h", "admin", null)]
    [InlineData("mongodb://u:p@h/db1", "db1", null)]
    [InlineData("mongodb://u:p@h/db1?authSource=other", "other", null)]
    [InlineData("mongodb://u:p@h/db1?authMechanism=scram-sha-256", "db1", "SCRAM-SHA-256")]
    [InlineData("mongodb://u:p@h/db1?authMechanism=PLAIN", "db1", "PLAIN")]
    [InlineData("mongodb://u:p@h?authMechanism=PLAIN", "$external", "PLAIN")]
    [InlineData("mongodb://h/db1?authMechanism=MONGODB-X509", "$external", "MONGODB-X509")]
    [InlineData("mongodb://u@h/db1?authMechanism=GSSAPI", "$external", "GSSAPI")]
    public void Credential_source_defaults_per_mechanism(string connectionString, string source, string? mechanism)
    {
        var credential = MongoConnectionString.Parse(connectionString).Credential;

        Assert.NotNull(credential);
        Assert.Equal(source, credential.Source);
        Assert.Equal(mechanism, credential.Mechanism);
    }

    [Fact]
    public void Gssapi_gets_the_default_service_name()
    {
        var credential = MongoConnectionString.Parse("mongodb://user%40REALM@h/?authMechanism=GSSAPI").Credential!;

        Assert.Equal("user@REALM", credential.Username);
        Assert.Equal("mongodb", credential.MechanismProperties["SERVICE_NAME"]);
    }

    [Theory]
    [InlineData("mongodb://h/db")]
    [InlineData("mongodb://h/?authSource=admin")]
    public void Database_or_authSource_alone_do_not_ask_for_authentication(string connectionString)
        => Assert.Null(MongoConnectionString.Parse(connectionString).Credential);

    [Fact]
    public void Credential_carries_the_decoded_user_and_password()
    {
        var cs = MongoConnectionString.Parse("mongodb://%E2%85%A8:I%C2%ADV@h/admin");

        Assert.Equal("\u2168", cs.Credential!.Username);
        Assert.Equal("I\u00ADV", cs.Credential.Password);
        Assert.Equal(MongoAuthMechanisms.ScramSha256, cs.Credential.WithMechanism(MongoAuthMechanisms.ScramSha256).Mechanism);
    }

    [Fact]
    public void Username_without_password_has_null_password()
    {
        var cs = MongoConnectionString.Parse("mongodb://alice@h");

        Assert.Equal("alice", cs.Username);
        Assert.Null(cs.Password);
        Assert.Null(cs.Credential!.Password);
    }
}
