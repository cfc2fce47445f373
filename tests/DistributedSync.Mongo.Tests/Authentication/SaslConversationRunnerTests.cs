using DistributedSync.Bson;
using DistributedSync.Mongo.Authentication;
using Xunit;
using static DistributedSync.Mongo.Tests.Authentication.ScramTestData;

namespace DistributedSync.Mongo.Tests.Authentication;

public sealed class SaslConversationRunnerTests
{
    [Fact]
    public async Task Short_conversation_of_the_auth_spec()
    {
        var server = new ScriptedServer(
            Reply(1, MongoSha1ServerFirst, done: false),
            Reply(1, MongoSha1ServerFinal, done: true));
        var scram = new ScramSha1(User, Password, () => Rfc5802ClientNonce, new ScramCredentialCache());

        await SaslConversationRunner.AuthenticateAsync(scram, server.RunAsync, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(scram.IsComplete);
        Assert.Equal(2, server.Commands.Count);
        Assert.Equal("SCRAM-SHA-1", server.Commands[0]["mechanism"].AsString);
        Assert.Equal(MongoSha1ClientFinal, Text(server.Commands[1]["payload"].As<BsonBinaryData>().Bytes.ToArray()));
        Assert.Equal(BsonInt32.Create(1), server.Commands[1]["conversationId"]);
    }

    [Fact]
    public async Task Long_conversation_sends_a_final_empty_payload()
    {
        var server = new ScriptedServer(
            Reply(1, MongoSha1ServerFirst, done: false),
            Reply(1, MongoSha1ServerFinal, done: false),
            Reply(1, string.Empty, done: true));
        var scram = new ScramSha1(User, Password, () => Rfc5802ClientNonce, new ScramCredentialCache());

        await SaslConversationRunner.AuthenticateAsync(scram, server.RunAsync, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, server.Commands.Count);
        Assert.True(server.Commands[2]["payload"].As<BsonBinaryData>().Bytes.IsEmpty);
    }

    [Fact]
    public async Task Speculative_reply_replaces_saslStart()
    {
        var server = new ScriptedServer(Reply(1, Rfc7677ServerFinal, done: true));
        var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, new ScramCredentialCache());
        scram.CreateClientFirstMessage();

        await SaslConversationRunner.AuthenticateAsync(
            scram, server.RunAsync, Reply(1, Rfc7677ServerFirst, done: false), TestContext.Current.CancellationToken);

        Assert.True(scram.IsComplete);
        Assert.Single(server.Commands);
        Assert.True(server.Commands[0].Contains("saslContinue"));
    }

    [Fact]
    public async Task Wrong_server_signature_fails()
    {
        var server = new ScriptedServer(
            Reply(1, Rfc7677ServerFirst, done: false),
            Reply(1, "v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", done: true));
        var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, new ScramCredentialCache());

        await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => SaslConversationRunner.AuthenticateAsync(scram, server.RunAsync, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Server_finishing_before_the_proof_fails()
    {
        var server = new ScriptedServer(Reply(1, Rfc7677ServerFirst, done: true));
        var scram = new ScramSha256(User, Password, () => Rfc7677ClientNonce, new ScramCredentialCache());

        await Assert.ThrowsAsync<MongoAuthenticationException>(
            () => SaslConversationRunner.AuthenticateAsync(scram, server.RunAsync, cancellationToken: TestContext.Current.CancellationToken));
    }

    private static BsonDocument Reply(int conversationId, string payload, bool done)
        => new BsonDocument()
            .Add("conversationId", conversationId)
            .Add("done", done)
            .Add("payload", new BsonBinaryData(Bytes(payload)))
            .Add("ok", 1.0);

    private sealed class ScriptedServer(params BsonDocument[] replies)
    {
        private int _next;

        public List<BsonDocument> Commands { get; } = [];

        public Task<BsonDocument> RunAsync(BsonDocument command, CancellationToken cancellationToken)
        {
            Commands.Add(command);
            return Task.FromResult(replies[_next++]);
        }
    }
}
