// GzipReader: a gzip file inflated as a read-only stream, member after member (`cat a.gz b.gz` is valid
// gzip, RFC 1952 §2.2), each member's CRC-32 and ISIZE checked as it ends; zero padding after the last
// member is allowed (as gzip(1) and Python allow), anything else is an error. DeflateStream reads ahead
// and cannot say where a member's deflate data stopped, so the trailer is found in the last input it took:
// it is the 8 bytes (CRC-32, ISIZE) computed from the member's output, which both locates and checks it.
// Deflate data ending in those same 8 bytes are a 2^-64 accident, except for a trailer of repeated bytes
// (an empty member's is all zeros), which also matches a byte or more early: of the matches, the first one
// followed by another member, zero padding or the end of the file is taken.
using System.Buffers.Binary;
using System.IO.Compression;

namespace Gibbs.Data;

internal sealed class GzipReader(string path, byte[] input, string what) : ReadOnlyStream
{
    private readonly Feed _feed = new(input);
    private DeflateStream? _inflater;
    private int _next;              // where the next member's header starts
    private int _members;           // members started so far
    private uint _crc;              // of the current member's output so far
    private long _size;
    private bool _done;
    private readonly int _lastNonZero = input.AsSpan().LastIndexOfAnyExcept((byte)0);

    private GibbsFormatException Bad(string why) => new($"{path}: not a valid {what}: {why}; download or copy the file again");

    public override int Read(Span<byte> buffer)
    {
        while (!_done && buffer.Length > 0)
        {
            if (_inflater is null && !StartMember()) { _done = true; break; }
            int n;
            try { n = _inflater!.Read(buffer); }
            catch (InvalidDataException e) { throw Bad($"corrupt gzip data ({e.Message.TrimEnd('.')})"); }
            if (n > 0)
            {
                _crc = Gzip.Crc32(buffer[..n], _crc);
                _size += n;
                return n;
            }
            EndMember();
        }
        return 0;
    }

    /// <summary>Parses the member header at <see cref="_next"/> (RFC 1952 §2.3); false at the end of the file.</summary>
    private bool StartMember()
    {
        var rest = input.AsSpan(_next);
        if (_members > 0 && _next > _lastNonZero) return false; // the end, or zero padding
        if (rest.Length < 2 || rest[0] != 0x1f || rest[1] != 0x8b)
            throw Bad(_members == 0 ? "not gzip data (no 1f 8b magic)" : $"{rest.Length} bytes after gzip member {_members} are not another gzip member");
        if (rest.Length < 10) throw Bad($"gzip member {_members + 1} header is truncated");
        if (rest[2] != 8) throw Bad($"gzip member {_members + 1} uses compression method {rest[2]}, not deflate (8)");
        int flags = rest[3], at = 10;
        if ((flags & 0xE0) != 0) throw Bad($"gzip member {_members + 1} header sets reserved flags 0x{flags & 0xE0:X2}");
        if ((flags & 0x04) != 0) at = rest.Length < at + 2 ? int.MaxValue : at + 2 + BinaryPrimitives.ReadUInt16LittleEndian(rest[at..]); // FEXTRA
        for (int bit = 0x08; bit <= 0x10; bit <<= 1)                                                                            // FNAME, FCOMMENT
            if ((flags & bit) != 0)
            {
                int end = at < rest.Length ? rest[at..].IndexOf((byte)0) : -1;
                at = end < 0 ? int.MaxValue : at + end + 1;
            }
        if ((flags & 0x02) != 0)                                                                                                // FHCRC
        {
            if (at > rest.Length - 2) at = int.MaxValue;
            else if (BinaryPrimitives.ReadUInt16LittleEndian(rest[at..]) != (ushort)Gzip.Crc32(rest[..at])) throw Bad($"gzip member {_members + 1} header fails its CRC-16");
            else at += 2;
        }
        if (at > rest.Length) throw Bad($"gzip member {_members + 1} header is truncated");
        _feed.Restart(_next + at);
        _inflater = new DeflateStream(_feed, CompressionMode.Decompress, leaveOpen: true);
        (_crc, _size) = (0, 0);
        _members++;
        return true;
    }

    /// <summary>Finds and checks the trailer of the member whose deflate data just ended.</summary>
    private void EndMember()
    {
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)_size);
        // The deflate data end inside the last input block the inflater took (zlib reports the end in the call that
        // consumes it); the block before is searched too, as a margin.
        int from = _feed.SearchFrom, to = Math.Min(input.Length, _feed.End + 8), first = -1, at = -1;
        for (int p = from; p < to && at < 0; p++)
        {
            int hit = input.AsSpan(p, to - p).IndexOf(trailer);
            if (hit < 0) break;
            p += hit;
            if (first < 0) first = p;
            int next = p + 8;
            if (next > _lastNonZero || (input[next] == 0x1f && next + 1 < input.Length && input[next + 1] == 0x8b)) at = p;
        }
        if (first < 0)
            throw Bad($"gzip data are truncated or corrupt (CRC-32/length check of member {_members} failed)");
        _next = (at >= 0 ? at : first) + 8;
        _inflater!.Dispose();
        _inflater = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inflater?.Dispose();
        base.Dispose(disposing);
    }


    /// <summary>Hands the inflater the input from a member's deflate data on, in blocks, remembering where the
    /// last two blocks began (the deflate data end in one of them).</summary>
    private sealed class Feed(byte[] input) : ReadOnlyStream
    {
        private const int Block = 8192;
        private int _prev, _last;
        public int End { get; private set; }
        public int SearchFrom => _prev;

        public void Restart(int at) => _prev = _last = End = at;

    
        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, Block), input.Length - End);
            if (n <= 0) return 0;
            input.AsSpan(End, n).CopyTo(buffer);
            (_prev, _last) = (_last, End);
            End += n;
            return n;
        }

    }
}
