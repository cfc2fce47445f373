namespace DistributedSync.Wire.Tests.Support;

/// <summary>Field-by-field comparison of messages (the message classes have reference equality).</summary>
internal static class MessageAssert
{
    public static void Equivalent(WireMessage expected, WireMessage actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.OpCode, actual.OpCode);
        Assert.Equal(expected.RequestId, actual.RequestId);
        Assert.Equal(expected.ResponseTo, actual.ResponseTo);
        switch (expected)
        {
            case OpMsgMessage e:
                var a = (OpMsgMessage)actual;
                Assert.Equal(e.Flags, a.Flags);
                Assert.Equal(e.Body, a.Body);
                Assert.Equal(e.Sequences.Count, a.Sequences.Count);
                for (var i = 0; i < e.Sequences.Count; i++)
                {
                    Assert.Equal(e.Sequences[i].Identifier, a.Sequences[i].Identifier);
                    Assert.Equal(e.Sequences[i].Documents, a.Sequences[i].Documents);
                }

                break;
            case OpQueryMessage e:
                var q = (OpQueryMessage)actual;
                Assert.Equal(e.Flags, q.Flags);
                Assert.Equal(e.FullCollectionName, q.FullCollectionName);
                Assert.Equal(e.NumberToSkip, q.NumberToSkip);
                Assert.Equal(e.NumberToReturn, q.NumberToReturn);
                Assert.Equal(e.Query, q.Query);
                Assert.Equal(e.ReturnFieldsSelector, q.ReturnFieldsSelector);
                break;
            case OpReplyMessage e:
                var r = (OpReplyMessage)actual;
                Assert.Equal(e.ResponseFlags, r.ResponseFlags);
                Assert.Equal(e.CursorId, r.CursorId);
                Assert.Equal(e.StartingFrom, r.StartingFrom);
                Assert.Equal(e.NumberReturned, r.NumberReturned);
                Assert.Equal(e.Documents, r.Documents);
                break;
            default:
                Assert.Fail($"Unexpected message type {expected.GetType()}.");
                break;
        }
    }
}
