using System.Text;

namespace DistributedSync.Mongo.Tests.Authentication;

/// <summary>Published SCRAM test vectors (RFC 5802 section 5, RFC 7677 section 3, MongoDB's auth spec).</summary>
internal static class ScramTestData
{
    internal const string User = "user";
    internal const string Password = "pencil";

    internal const string Rfc5802ClientNonce = "fyko+d2lbbFgONRv9qkxdawL";
    internal const string Rfc5802ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
    internal const string Rfc5802ClientFinal = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
    internal const string Rfc5802ServerFinal = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

    internal const string MongoSha1ServerFirst = "r=fyko+d2lbbFgONRv9qkxdawLHo+Vgk7qvUOKUwuWLIWg4l/9SraGMHEE,s=rQ9ZY3MntBeuP3E1TDVC4w==,i=10000";
    internal const string MongoSha1ClientFinal = "c=biws,r=fyko+d2lbbFgONRv9qkxdawLHo+Vgk7qvUOKUwuWLIWg4l/9SraGMHEE,p=MC2T8BvbmWRckDw8oWl5IVghwCY=";
    internal const string MongoSha1ServerFinal = "v=UMWeI25JD1yNYZRMpZ4VHvhZ9e0=";

    internal const string Rfc7677ClientNonce = "rOprNGfwEbeRWgbNEkqO";
    internal const string Rfc7677ServerFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    internal const string Rfc7677ClientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    internal const string Rfc7677ServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    internal static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    internal static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
