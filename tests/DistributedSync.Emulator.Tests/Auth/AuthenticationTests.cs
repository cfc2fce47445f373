using DistributedSync.Bson;
using DistributedSync.Emulator.Hosting;
using DistributedSync.Emulator.Tests.Server;
using Xunit;

namespace DistributedSync.Emulator.Tests.Auth;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private const string User = "root";
    private const string Password = "s3cret, with = signs";
    private InProcessServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
        => _server = await InProcessServer.StartAsync(new EmulatorOptions { Auth = true, User = User, Password = Password }, Ct);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("SCRAM-SHA-256", true)]
    [InlineData("SCRAM-SHA-256", false)]
    [InlineData("SCRAM-SHA-1", true)]
    [InlineData("SCRAM-SHA-1", false)]
    public async Task Authentication_succeeds_with_the_right_password(string mechanism, bool skipEmptyExchange)
    {
        await using var connection = await _server.ConnectAsync(Ct);

        var reply = await new ScramTestClient(mechanism, User, Password).AuthenticateAsync(connection, Ct, skipEmptyExchange);

        Assert.Equal(new BsonDouble(1.0), reply["ok"]);
        Assert.Equal(BsonInt32.Create(1), reply["conversationId"]);
        Assert.True(reply["done"].AsBoolean);
        var status = await connection.CommandAsync("admin", new BsonDocument("connectionStatus", 1), Ct);
        Assert.Equal(
            new BsonArray { new BsonDocument { { "user", User }, { "db", "admin" } } },
            status["authInfo"].AsDocument["authenticatedUsers"]);
        var serverStatus = await connection.CommandAsync("admin", new BsonDocument("serverStatus", 1), Ct);
        Assert.Equal(new BsonDouble(1.0), serverStatus["ok"]);
        Assert.Contains(_server.Log.RecentLines(), l => l.Contains("\"Authentication succeeded\"", StringComparison.Ordinal) && l.Contains(mechanism, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-1")]
    public async Task A_wrong_password_fails_with_AuthenticationFailed(string mechanism)
    {
        await using var connection = await _server.ConnectAsync(Ct);

        var reply = await new ScramTestClient(mechanism, User, "wrong").AuthenticateAsync(connection, Ct);

        Assert.Equal(["ok", "errmsg", "code", "codeName"], reply.Names);
        Assert.Equal("Authentication failed.", reply["errmsg"].AsString);
        Assert.Equal(18, reply["code"].AsInt32);
        Assert.Equal("AuthenticationFailed", reply["codeName"].AsString);
        var status = await connection.CommandAsync("app", new BsonDocument("serverStatus", 1), Ct);
        Assert.Equal(13, status["code"].AsInt32);
    }

    [Fact]
    public async Task An_unknown_user_fails_with_the_same_error()
    {
        await using var connection = await _server.ConnectAsync(Ct);
        var reply = await new ScramTestClient("SCRAM-SHA-256", "nobody", Password).AuthenticateAsync(connection, Ct);

        Assert.Equal(18, reply["code"].AsInt32);
        Assert.Equal("Authentication failed.", reply["errmsg"].AsString);
    }

    [Fact]
    public async Task Commands_require_authentication_except_the_handshake_and_diagnostics()
    {
        await using var connection = await _server.ConnectAsync(Ct);

        foreach (var allowed in new[] { "hello", "isMaster", "ismaster", "ping", "buildInfo", "buildinfo", "connectionStatus", "listCommands" })
        {
            var reply = await connection.CommandAsync("admin", new BsonDocument(allowed, 1), Ct);
            Assert.True(reply["ok"].ToDouble() == 1, allowed + " should run before authentication: " + reply);
        }

        var denied = await connection.CommandAsync("app", new BsonDocument("serverStatus", 1), Ct);
        Assert.Equal(["ok", "errmsg", "code", "codeName"], denied.Names);
        Assert.Equal("command serverStatus requires authentication", denied["errmsg"].AsString);
        Assert.Equal(13, denied["code"].AsInt32);
        Assert.Equal("Unauthorized", denied["codeName"].AsString);
        var endSessions = await connection.CommandAsync("admin", new BsonDocument("endSessions", new BsonArray()), Ct);
        Assert.Equal(13, endSessions["code"].AsInt32);

        // An unknown command is reported as such even before authentication.
        Assert.Equal(59, (await connection.CommandAsync("app", new BsonDocument("nope", 1), Ct))["code"].AsInt32);
    }

    [Fact]
    public async Task Speculative_authentication_in_hello_completes_with_one_saslContinue()
    {
        await using var connection = await _server.ConnectAsync(Ct);
        var scram = new ScramTestClient("SCRAM-SHA-256", User, Password);

        var hello = await connection.CommandAsync("admin", new BsonDocument
        {
            { "hello", 1 },
            {
                "speculativeAuthenticate", new BsonDocument
                {
                    { "saslStart", 1 },
                    { "mechanism", "SCRAM-SHA-256" },
                    { "payload", new BsonBinaryData(scram.ClientFirst()) },
                    { "options", new BsonDocument("skipEmptyExchange", true) },
                    { "db", "admin" },
                }
            },
        }, Ct);
        var speculative = hello["speculativeAuthenticate"].AsDocument;
        Assert.Equal(["conversationId", "done", "payload"], speculative.Names);
        var final = await connection.CommandAsync("admin", new BsonDocument
        {
            { "saslContinue", 1 },
            { "conversationId", speculative["conversationId"] },
            { "payload", new BsonBinaryData(scram.ClientFinal(speculative["payload"].As<BsonBinaryData>().Bytes.ToArray())) },
        }, Ct);

        Assert.True(final["done"].AsBoolean);
        Assert.True(scram.VerifyServerFinal(final["payload"].As<BsonBinaryData>().Bytes.ToArray()));
        Assert.Equal(new BsonDouble(1.0), (await connection.CommandAsync("admin", new BsonDocument("serverStatus", 1), Ct))["ok"]);
    }

    [Fact]
    public async Task A_failed_speculative_start_is_left_out_of_hello()
    {
        await using var connection = await _server.ConnectAsync(Ct);
        var hello = await connection.CommandAsync("admin", new BsonDocument
        {
            { "hello", 1 },
            {
                "speculativeAuthenticate", new BsonDocument
                {
                    { "saslStart", 1 },
                    { "mechanism", "MONGODB-X509" },
                    { "payload", new BsonBinaryData([]) },
                    { "db", "$external" },
                }
            },
        }, Ct);

        Assert.Equal(new BsonDouble(1.0), hello["ok"]);
        Assert.False(hello.Contains("speculativeAuthenticate"));
    }

    [Fact]
    public async Task Sasl_protocol_errors_have_mongod_codes()
    {
        await using var connection = await _server.ConnectAsync(Ct);

        var noSession = await connection.CommandAsync("admin", new BsonDocument
        {
            { "saslContinue", 1 }, { "conversationId", 1 }, { "payload", new BsonBinaryData([]) },
        }, Ct);
        var badMechanism = await connection.CommandAsync("admin", new BsonDocument
        {
            { "saslStart", 1 }, { "mechanism", "PLAIN-ish" }, { "payload", new BsonBinaryData([]) },
        }, Ct);
        var missingPayload = await connection.CommandAsync("admin", new BsonDocument
        {
            { "saslStart", 1 }, { "mechanism", "SCRAM-SHA-256" },
        }, Ct);
        var garbage = await connection.CommandAsync("admin", new BsonDocument
        {
            { "saslStart", 1 }, { "mechanism", "SCRAM-SHA-256" }, { "payload", new BsonBinaryData("not scram"u8) },
        }, Ct);

        Assert.Equal((17, "No SASL session state found"), (noSession["code"].AsInt32, noSession["errmsg"].AsString));
        Assert.Equal(334, badMechanism["code"].AsInt32);
        Assert.Equal("Received authentication for mechanism PLAIN-ish which is unknown or not enabled", badMechanism["errmsg"].AsString);
        Assert.Equal(40414, missingPayload["code"].AsInt32);
        Assert.Equal("BSON field 'saslStart.payload' is missing but a required field", missingPayload["errmsg"].AsString);
        Assert.Equal(18, garbage["code"].AsInt32);
    }

    [Fact]
    public async Task Authenticating_as_a_second_user_is_refused()
    {
        await _server.Host.State.Users.EnsureUserAsync("admin", "other", "pw2", [], Ct);
        await using var connection = await _server.ConnectAsync(Ct);
        Assert.Equal(new BsonDouble(1.0), (await new ScramTestClient("SCRAM-SHA-256", User, Password).AuthenticateAsync(connection, Ct))["ok"]);

        var again = await new ScramTestClient("SCRAM-SHA-256", User, Password).AuthenticateAsync(connection, Ct);
        var other = await new ScramTestClient("SCRAM-SHA-256", "other", "pw2").AuthenticateAsync(connection, Ct);

        Assert.Equal(new BsonDouble(1.0), again["ok"]);
        Assert.Equal(5626701, other["code"].AsInt32);
    }

    [Fact]
    public async Task Logout_ends_the_authentication()
    {
        await using var connection = await _server.ConnectAsync(Ct);
        await new ScramTestClient("SCRAM-SHA-1", User, Password).AuthenticateAsync(connection, Ct);

        Assert.Equal(new BsonDouble(1.0), (await connection.CommandAsync("admin", new BsonDocument("logout", 1), Ct))["ok"]);
        Assert.Equal(13, (await connection.CommandAsync("admin", new BsonDocument("serverStatus", 1), Ct))["code"].AsInt32);
    }

    [Fact]
    public async Task Only_hashed_credentials_are_stored()
    {
        var user = _server.Host.State.Users.Find("admin", User);

        Assert.NotNull(user);
        Assert.NotNull(user.Sha1);
        Assert.NotNull(user.Sha256);
        Assert.Equal(10_000, user.Sha1.IterationCount);
        Assert.Equal(15_000, user.Sha256.IterationCount);
        Assert.Equal(16, user.Sha1.Salt.Length);
        Assert.Equal(28, user.Sha256.Salt.Length);
        using var read = _server.Host.Storage.OpenRead();
        var stored = read.FindById(read.GetCollection("admin", "system.users")!, new BsonString("admin." + User))!;
        Assert.DoesNotContain(Password, stored.Document.ToString(), StringComparison.Ordinal);
        Assert.Equal(["_id", "userId", "user", "db", "credentials", "roles"], stored.Document.Names);
    }
}
