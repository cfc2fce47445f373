using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Mongo.Authentication;
using DistributedSync.Mongo.Configuration;
using DistributedSync.TestKit.Processes;
using Xunit;

namespace DistributedSync.Mongo.Tests.Integration;

/// <summary>
/// A server that requires authentication: an emulator process started with <c>--auth</c> and a
/// root user, or the real servers of <c>DISTSYNC_TEST_MONGODB_URIS</c> whose URIs carry a user
/// name and password (the others are left out; with none such the tests skip).
/// </summary>
public sealed class AuthIntegrationServers : IntegrationServers
{
    public const string User = "root";
    public const string Password = "pencil-Horse-42";

    /// <summary>One server's host and the credential that works there.</summary>
    public sealed record Target(string HostAndPort, string User, string Password, string AuthSource, IReadOnlyDictionary<string, string> OtherOptions, bool IsEmulator)
    {
        /// <summary>A URI for this server with <paramref name="user"/>/<paramref name="password"/> (default: the working ones) and optionally a mechanism.</summary>
        public string Uri(string? mechanism = null, string? user = null, string? password = null)
        {
            var options = OtherOptions
                .Select(o => o.Key + "=" + System.Uri.EscapeDataString(o.Value))
                .Append("authSource=" + System.Uri.EscapeDataString(AuthSource));
            if (mechanism is not null)
            {
                options = options.Append("authMechanism=" + mechanism);
            }

            return "mongodb://" + System.Uri.EscapeDataString(user ?? User) + ":" + System.Uri.EscapeDataString(password ?? Password)
                + "@" + HostAndPort + "/?" + string.Join('&', options);
        }

        /// <summary>The same host without credentials.</summary>
        public string AnonymousUri() => "mongodb://" + HostAndPort + "/" + (OtherOptions.Count == 0 ? string.Empty : "?" + string.Join('&', OtherOptions.Select(o => o.Key + "=" + System.Uri.EscapeDataString(o.Value))));
    }

    /// <summary>The servers to authenticate against (empty when only credential-less external URIs are configured).</summary>
    public IReadOnlyList<Target> Targets { get; private set; } = [];

    /// <inheritdoc />
    protected override EmulatorProcessOptions? EmulatorOptions => EmulatorProcessOptions.WithRootUser(User, Password);

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var targets = new List<Target>();
        foreach (var server in Servers)
        {
            if (server.Emulator is { } emulator)
            {
                targets.Add(new Target("127.0.0.1:" + emulator.Port.ToString(CultureInfo.InvariantCulture), User, Password, "admin", new Dictionary<string, string>(), IsEmulator: true));
                continue;
            }

            var parsed = MongoConnectionString.Parse(server.ConnectionString);
            if (parsed.Username is null || parsed.Password is null || parsed.Hosts.Count != 1)
            {
                continue;
            }

            var host = parsed.Hosts[0];
            var hostText = (host.Type == MongoHostType.IPLiteral ? "[" + host.Host + "]" : host.Host) + ":" + host.Port.ToString(CultureInfo.InvariantCulture);
            var others = parsed.Options
                .Where(o => !o.Key.Equals("authSource", StringComparison.OrdinalIgnoreCase) && !o.Key.Equals("authMechanism", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal);
            targets.Add(new Target(hostText, parsed.Username, parsed.Password, parsed.AuthSource ?? parsed.DatabaseName ?? "admin", others, IsEmulator: false));
        }

        Targets = targets;
    }

    /// <summary>The targets, or a skip naming the variable when there is none.</summary>
    public IReadOnlyList<Target> RequireTargets()
    {
        if (Targets.Count == 0)
        {
            Assert.Skip($"{TestServers.EnvironmentVariable} names no server URI with a user name and password (mongodb://user:password@host:port/); the authentication tests need one.");
        }

        return Targets;
    }
}

/// <summary>SCRAM authentication of the client against a server that requires it.</summary>
public sealed class AuthenticationIntegrationTests(AuthIntegrationServers servers) : IClassFixture<AuthIntegrationServers>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    [InlineData(null)]
    public async Task Scram_authenticates_and_the_connection_can_read_and_write(string? mechanism)
    {
        foreach (var target in servers.RequireTargets())
        {
            await using var client = new MongoClient(target.Uri(mechanism));

            await client.ConnectAsync(Ct);
            var status = await client.RunCommandAsync("admin", new BsonDocument("connectionStatus", 1), cancellationToken: Ct);
            var user = Assert.Single(status["authInfo"].AsDocument["authenticatedUsers"].AsArray).AsDocument;
            Assert.Equal((target.User, target.AuthSource), (user["user"].AsString, user["db"].AsString));

            var db = client.GetDatabase("distsync_auth_" + Guid.NewGuid().ToString("N")[..10]);
            try
            {
                var c = db.GetCollection("c");
                await c.InsertOneAsync(new BsonDocument { { "_id", 1 }, { "mechanism", mechanism ?? "negotiated" } }, cancellationToken: Ct);
                Assert.Equal(mechanism ?? "negotiated", (await c.FindOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct))!["mechanism"].AsString);
            }
            finally
            {
                await IntegrationServers.DropQuietlyAsync(target.Uri(mechanism), db.Name);
            }
        }
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    [InlineData(null)]
    public async Task A_wrong_password_fails_with_MongoAuthenticationException(string? mechanism)
    {
        foreach (var target in servers.RequireTargets())
        {
            await using var client = new MongoClient(target.Uri(mechanism, password: target.Password + "-wrong"));

            var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.ConnectAsync(Ct));

            Assert.Contains("Authentication failed", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(target.Password, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_user_fails_with_MongoAuthenticationException()
    {
        foreach (var target in servers.RequireTargets())
        {
            await using var client = new MongoClient(target.Uri("SCRAM-SHA-256", user: "nobody-" + Guid.NewGuid().ToString("N")[..8]));

            var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.ConnectAsync(Ct));

            Assert.Contains("Authentication failed", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_credentials_commands_other_than_the_handshake_are_refused_with_13()
    {
        foreach (var target in servers.RequireTargets())
        {
            await using var client = new MongoClient(target.AnonymousUri());

            await client.ConnectAsync(Ct);
            await client.PingAsync(Ct);
            var error = await Assert.ThrowsAsync<MongoCommandException>(
                () => client.GetDatabase("app").GetCollection("c").InsertOneAsync(new BsonDocument("x", 1), cancellationToken: Ct));

            Assert.Equal((13, "Unauthorized"), (error.Code, error.CodeName));
            Assert.Equal("command insert requires authentication", error.ErrorMessage);
        }
    }
}
