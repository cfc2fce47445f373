using DistributedSync.Bson;
using DistributedSync.Mongo.Authentication;
using DistributedSync.Mongo.Tests.Support;
using DistributedSync.TestKit.Scripted;
using Xunit;

namespace DistributedSync.Mongo.Tests.Connections;

/// <summary>The client's SCRAM conversations against an independently written scripted server side.</summary>
public sealed class AuthenticationHandshakeTests
{
    private const string User = "sync";
    private const string Password = "pencil-Horse-42";

    private static ScriptedMongoServer StartScram(ScriptedScramServer scram)
    {
        var server = ScriptedMongoServer.Start();
        server.Handler = r => scram.Handle(r, server.HelloReply);
        return server;
    }

    [Fact]
    public async Task ScramSha256_CompletesSpeculativelyInsideHello()
    {
        var ct = TestContext.Current.CancellationToken;
        var scram = new ScriptedScramServer(User, Password);
        await using var server = StartScram(scram);
        await using var client = new MongoClient($"mongodb://{User}:{Password}@{server.Endpoint}/app?authSource=admin");

        await client.GetDatabase("app").RunCommandAsync(new BsonDocument("ping", 1), cancellationToken: ct);

        Assert.Equal(1, scram.SuccessfulAuthentications);
        Assert.Equal(["SCRAM-SHA-256"], scram.MechanismsUsed);
        Assert.Equal(["hello", "saslContinue", "ping"], server.Requests.Select(r => r.CommandName));
        var hello = server.Requests[0].Body;
        Assert.Equal("admin.sync", hello["saslSupportedMechs"].AsString);
        Assert.Equal("admin", hello["speculativeAuthenticate"].AsDocument["db"].AsString);
        Assert.Equal("admin", server.Requests[1].Database);
    }

    [Fact]
    public async Task UserWithOnlyScramSha1_IsNegotiatedAfterTheSpeculativeAttemptIsDeclined()
    {
        var ct = TestContext.Current.CancellationToken;
        var scram = new ScriptedScramServer(User, Password, mechanisms: ["SCRAM-SHA-1"]);
        await using var server = StartScram(scram);
        await using var client = new MongoClient($"mongodb://{User}:{Password}@{server.Endpoint}/");

        await client.ConnectAsync(ct);

        Assert.Equal(1, scram.SuccessfulAuthentications);
        Assert.Equal(["SCRAM-SHA-1"], scram.MechanismsUsed);
        Assert.Equal(["hello", "saslStart", "saslContinue"], server.Requests.Select(r => r.CommandName));
        Assert.Equal("SCRAM-SHA-1", server.Requests[1].Body["mechanism"].AsString);
    }

    [Fact]
    public async Task ExplicitMechanism_SkipsNegotiation()
    {
        var ct = TestContext.Current.CancellationToken;
        var scram = new ScriptedScramServer(User, Password);
        await using var server = StartScram(scram);
        await using var client = new MongoClient($"mongodb://{User}:{Password}@{server.Endpoint}/?authMechanism=SCRAM-SHA-1");

        await client.ConnectAsync(ct);

        Assert.False(server.Requests[0].Body.Contains("saslSupportedMechs"));
        Assert.Equal(["SCRAM-SHA-1"], scram.MechanismsUsed);
        Assert.Equal(1, scram.SuccessfulAuthentications);
    }

    [Fact]
    public async Task OlderServerWantingTheFinalEmptyExchange_StillAuthenticates()
    {
        var ct = TestContext.Current.CancellationToken;
        var scram = new ScriptedScramServer(User, Password) { HonorSkipEmptyExchange = false };
        await using var server = StartScram(scram);
        await using var client = new MongoClient($"mongodb://{User}:{Password}@{server.Endpoint}/");

        await client.ConnectAsync(ct);

        Assert.Equal(["hello", "saslContinue", "saslContinue"], server.Requests.Select(r => r.CommandName));
        Assert.Equal(1, scram.SuccessfulAuthentications);
    }

    [Fact]
    public async Task EveryNewConnection_Authenticates()
    {
        var ct = TestContext.Current.CancellationToken;
        var scram = new ScriptedScramServer(User, Password);
        await using var server = StartScram(scram);
        await using var client = new MongoClient($"mongodb://{User}:{Password}@{server.Endpoint}/");

        await client.ConnectAsync(ct);
        await client.PingAsync(ct);

        Assert.Equal(2, server.AcceptedConnections);
        Assert.Equal(2, scram.SuccessfulAuthentications);
    }

    [Fact]
    public async Task WrongPassword_FailsAuthentication_WithoutRevealingIt_AndClosesTheConnection()
    {
        var ct = TestContext.Current.CancellationToken;
        var scram = new ScriptedScramServer(User, Password);
        await using var server = StartScram(scram);
        const string wrong = "not-the-Password-99";
        await using var client = new MongoClient($"mongodb://{User}:{wrong}@{server.Endpoint}/");

        var error = await Assert.ThrowsAsync<MongoAuthenticationException>(() => client.ConnectAsync(ct));

        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, scram.SuccessfulAuthentications);
        await server.WaitUntilAsync(() => server.OpenConnections == 0, Scripted.Deadline, ct);
        Assert.Equal(0, client.Executor.Pool.TotalCount);
    }
}
