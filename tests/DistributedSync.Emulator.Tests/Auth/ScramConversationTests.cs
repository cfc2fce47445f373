using System.Text;
using DistributedSync.Bson;
using DistributedSync.Emulator.Auth;
using Xunit;

namespace DistributedSync.Emulator.Tests.Auth;

public sealed class ScramConversationTests
{
    [Theory]
    // MongoDB's SCRAM-SHA-1 example (auth specification) and RFC 7677's SCRAM-SHA-256 example.
    [InlineData("SCRAM-SHA-1", "fyko+d2lbbFgONRv9qkxdawL", "Ho+Vgk7qvUOKUwuWLIWg4l/9SraGMHEE", "rQ9ZY3MntBeuP3E1TDVC4w==", 10000, "MC2T8BvbmWRckDw8oWl5IVghwCY=", "UMWeI25JD1yNYZRMpZ4VHvhZ9e0=")]
    [InlineData("SCRAM-SHA-256", "rOprNGfwEbeRWgbNEkqO", "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", "W22ZaJ0SNY7soEsUEjb6gQ==", 4096, "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")]
    public void The_server_side_reproduces_the_published_conversations(string mechanism, string clientNonce, string serverNonce, string salt, int iterations, string proof, string signature)
    {
        var algorithm = ScramAlgorithm.FromMechanism(mechanism)!;
        var credential = ScramCredential.Derive(algorithm, "user", "pencil", Convert.FromBase64String(salt), iterations);
        var user = new UserRecord("user", "admin", algorithm == ScramAlgorithm.Sha1 ? credential : null, algorithm == ScramAlgorithm.Sha256 ? credential : null, []);
        var conversation = new ScramServerConversation(algorithm, "admin", skipEmptyExchange: true, speculative: false, (_, _) => user, () => serverNonce);

        var first = Text(conversation.Step(Encoding.UTF8.GetBytes("n,,n=user,r=" + clientNonce)));
        var nonce = clientNonce + serverNonce;
        var final = Text(conversation.Step(Encoding.UTF8.GetBytes($"c=biws,r={nonce},p={proof}")));

        Assert.Equal($"r={nonce},s={salt},i={iterations}", first);
        Assert.Equal("v=" + signature, final);
        Assert.True(conversation.IsSuccess);
        Assert.Equal("user", conversation.User!.Name);
    }

    [Fact]
    public void A_wrong_proof_fails_and_leaves_no_user()
    {
        var credential = ScramCredential.Derive(ScramAlgorithm.Sha256, "user", "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        var user = new UserRecord("user", "admin", null, credential, []);
        var conversation = new ScramServerConversation(ScramAlgorithm.Sha256, "admin", true, false, (_, _) => user, () => "server");
        conversation.Step("n,,n=user,r=client"u8);

        var wrong = Convert.ToBase64String(new byte[32]);
        Assert.Throws<ScramFailureException>(() => conversation.Step(Encoding.UTF8.GetBytes($"c=biws,r=clientserver,p={wrong}")));
        Assert.False(conversation.IsSuccess);
        Assert.Null(conversation.User);
    }

    [Theory]
    [InlineData("p=tls-unique,,n=user,r=abc")]
    [InlineData("n,a=admin,n=user,r=abc")]
    [InlineData("x,,n=user,r=abc")]
    [InlineData("n,,r=abc,n=user")]
    [InlineData("n,,n=us=er,r=abc")]
    [InlineData("n,,n=user,r=abc,m=ext")]
    public void Malformed_client_first_messages_fail(string message)
    {
        var credential = ScramCredential.Create(ScramAlgorithm.Sha1, "user", "pencil", 1000);
        var conversation = new ScramServerConversation(ScramAlgorithm.Sha1, "admin", true, false, (_, _) => new UserRecord("user", "admin", credential, null, []));

        Assert.Throws<ScramFailureException>(() => conversation.Step(Encoding.UTF8.GetBytes(message)));
    }

    [Fact]
    public void Escaped_user_names_are_decoded()
    {
        string? looked = null;
        var conversation = new ScramServerConversation(ScramAlgorithm.Sha256, "db", true, false, (_, name) =>
        {
            looked = name;
            return null;
        });

        Assert.Throws<ScramFailureException>(() => conversation.Step("n,,n=a=2Cb=3Dc,r=xyz"u8));
        Assert.Equal("a,b=c", looked);
    }

    [Fact]
    public void Credentials_round_trip_through_their_stored_form()
    {
        var credential = ScramCredential.Create(ScramAlgorithm.Sha256, "u", "p");
        var document = credential.ToDocument();
        var read = ScramCredential.FromDocument(ScramAlgorithm.Sha256, document)!;

        Assert.Equal(["iterationCount", "salt", "storedKey", "serverKey"], document.Names);
        Assert.True(read.Matches("u", "p"));
        Assert.False(read.Matches("u", "q"));
        Assert.Null(ScramCredential.FromDocument(ScramAlgorithm.Sha256, new BsonDocument("salt", "!!")));
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
