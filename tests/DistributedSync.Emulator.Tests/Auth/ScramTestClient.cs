using System.Security.Cryptography;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Emulator.Tests.Server;
using Xunit;

namespace DistributedSync.Emulator.Tests.Auth;

/// <summary>
/// The client side of SCRAM written independently of the server code (plain
/// System.Security.Cryptography), to authenticate test connections.
/// </summary>
internal sealed class ScramTestClient(string mechanism, string user, string password)
{
    private readonly HashAlgorithmName _hash = mechanism == "SCRAM-SHA-1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
    private string _clientFirstBare = string.Empty;
    private byte[] _serverSignature = [];

    public string ClientNonce { get; init; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public byte[] ClientFirst()
    {
        _clientFirstBare = "n=" + user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal) + ",r=" + ClientNonce;
        return Encoding.UTF8.GetBytes("n,," + _clientFirstBare);
    }

    public byte[] ClientFinal(byte[] serverFirstBytes)
    {
        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        var fields = serverFirst.Split(',').ToDictionary(f => f[..1], f => f[2..]);
        Assert.StartsWith(ClientNonce, fields["r"], StringComparison.Ordinal);
        var salt = Convert.FromBase64String(fields["s"]);
        var iterations = int.Parse(fields["i"], System.Globalization.CultureInfo.InvariantCulture);
        var secret = mechanism == "SCRAM-SHA-1"
            ? Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(user + ":mongo:" + password)))
            : password;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, _hash, _hash == HashAlgorithmName.SHA1 ? 20 : 32);
        var clientKey = Hmac(salted, "Client Key");
        var storedKey = _hash == HashAlgorithmName.SHA1 ? SHA1.HashData(clientKey) : SHA256.HashData(clientKey);
        var withoutProof = "c=biws,r=" + fields["r"];
        var authMessage = _clientFirstBare + "," + serverFirst + "," + withoutProof;
        var signature = Hmac(storedKey, authMessage);
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        _serverSignature = Hmac(Hmac(salted, "Server Key"), authMessage);
        return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    public bool VerifyServerFinal(byte[] serverFinal)
        => Encoding.UTF8.GetString(serverFinal) == "v=" + Convert.ToBase64String(_serverSignature);

    /// <summary>Runs the whole conversation; returns the last reply (which is an error reply on failure).</summary>
    public async Task<BsonDocument> AuthenticateAsync(WireTestClient connection, CancellationToken cancellationToken, bool skipEmptyExchange = true, string database = "admin")
    {
        var start = new BsonDocument
        {
            { "saslStart", 1 },
            { "mechanism", mechanism },
            { "payload", new BsonBinaryData(ClientFirst()) },
            { "autoAuthorize", 1 },
        };
        if (skipEmptyExchange)
        {
            start.Add("options", new BsonDocument("skipEmptyExchange", true));
        }

        var first = await connection.CommandAsync(database, start, cancellationToken);
        if (first["ok"].ToDouble() != 1)
        {
            return first;
        }

        Assert.False(first["done"].AsBoolean);
        var second = await connection.CommandAsync(database, Continue(first, ClientFinal(Payload(first))), cancellationToken);
        if (second["ok"].ToDouble() != 1)
        {
            return second;
        }

        Assert.True(VerifyServerFinal(Payload(second)), "The server signature does not verify.");
        if (skipEmptyExchange)
        {
            return second;
        }

        Assert.False(second["done"].AsBoolean);
        var third = await connection.CommandAsync(database, Continue(second, []), cancellationToken);
        Assert.True(third["done"].AsBoolean);
        return third;
    }

    private static BsonDocument Continue(BsonDocument previous, byte[] payload) => new()
    {
        { "saslContinue", 1 },
        { "conversationId", previous["conversationId"] },
        { "payload", new BsonBinaryData(payload) },
    };

    private static byte[] Payload(BsonDocument reply) => reply["payload"].As<BsonBinaryData>().Bytes.ToArray();

    private byte[] Hmac(byte[] key, string text) => Hmac(key, Encoding.UTF8.GetBytes(text));

    private byte[] Hmac(byte[] key, byte[] data)
        => _hash == HashAlgorithmName.SHA1 ? HMACSHA1.HashData(key, data) : HMACSHA256.HashData(key, data);
}
