// .npy header dictionaries (issue 8): Gibbs accepts only headers numpy's reader accepts, with the same
// shape, and everything numpy writes. Each case records what numpy 1.24.2 (/usr/bin/python3, np.load)
// did with it; the live test checks those records and that "numpy rejects ⇒ Gibbs rejects".
// Not here: dtypes, versions and truncation (NpyTests.cs).
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Gibbs.IO;

namespace Gibbs.Tests.IO;

public class NpyHeaderTests : TempDirTest
{
    /// <summary>A header case: <paramref name="Numpy"/> is numpy 1.24.2's verdict (true = np.load accepts it);
    /// <paramref name="Shape"/> is what Gibbs reads (null: Gibbs refuses it, with <paramref name="Error"/> in the message).</summary>
    public sealed record Case(string Name, string Header, bool Numpy, int[]? Shape, string? Error = null, int Version = 1, int DataBytes = 24);

    private const string F4 = "'descr': '<f4', 'fortran_order': False";

    public static readonly Case[] Cases =
    [
        // Accepted by both.
        new("numpy-writes", "{" + F4 + ", 'shape': (2, 3), }" + new string(' ', 60) + "\n", true, [2, 3]),
        new("no-trailing-comma", "{" + F4 + ", 'shape': (2, 3)}", true, [2, 3]),
        new("any-order-double-quotes", "{\"shape\": (6,), \"fortran_order\": False, \"descr\": \"<f4\"}", true, [6]),
        new("whitespace", " \t{ 'descr' :'<f4' ,\r\n'fortran_order':False,\n\t'shape':( 2 , 3 , ) , }  \n \n", true, [2, 3]),
        new("scalar", "{" + F4 + ", 'shape': (), }", true, [], DataBytes: 4),
        new("parenthesised-int", "{" + F4 + ", 'shape': ((2), 3), }", true, [2, 3]),
        new("python2-longs-v1", "{" + F4 + ", 'shape': (2L, 3L), }", true, [2, 3]),
        new("python2-longs-v2", "{" + F4 + ", 'shape': (2L, 3L), }", true, [2, 3], Version: 2),
        new("utf8-v3", "{" + F4 + ", 'shape': (2, 3), }", true, [2, 3], Version: 3),
        // Rejected by both (numpy: "Cannot parse header", "shape is not valid", "Header does not contain the correct keys", …).
        new("double-comma", "{" + F4 + ", 'shape': (200,, 784), }", false, null, "malformed at character"),
        new("double-comma-fits", "{" + F4 + ", 'shape': (2,, 3), }", false, null, "malformed at character"), // 24 data bytes would fit (2, 3)
        new("comma-only", "{" + F4 + ", 'shape': (,), }", false, null, "expected a value"),
        new("int-not-tuple", "{" + F4 + ", 'shape': (6), }", false, null, "shape must be a tuple"),
        new("list-not-tuple", "{" + F4 + ", 'shape': [2, 3]}", false, null, "shape must be a tuple"),
        new("float-dim", "{" + F4 + ", 'shape': (2.0, 3)}", false, null, "not a decimal integer"),
        new("underscore-dim", "{" + F4 + ", 'shape': (2, 0_3)}", false, null, "not a decimal integer"),
        new("leading-zero", "{" + F4 + ", 'shape': (02, 3)}", false, null, "leading zero"),
        new("missing-key", "{'descr': '<f4', 'shape': (2, 3), }", false, null, "lacks the key 'fortran_order'"),
        new("empty-dict", "{}", false, null, "lacks the key 'descr'"),
        new("extra-key", "{" + F4 + ", 'shape': (2, 3), 'x': 1}", false, null, "unexpected key 'x'"),
        new("key-with-space", "{'descr ': '<f4', 'fortran_order': False, 'shape': (2, 3)}", false, null, "unexpected key 'descr '"),
        new("bytes-key", "{b'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", false, null, "expected a quoted key"),
        new("trailing-text", "{" + F4 + ", 'shape': (2, 3), } xyz", false, null, "text after the closing '}'"),
        new("two-dicts", "{" + F4 + ", 'shape': (2, 3)}{}", false, null, "text after the closing '}'"),
        new("nul-after", "{" + F4 + ", 'shape': (2, 3)}\0", false, null, "text after the closing '}'"),
        new("vtab-after", "{" + F4 + ", 'shape': (2, 3)}\v", false, null, "text after the closing '}'"),
        new("nbsp-after", "{" + F4 + ", 'shape': (2, 3)}\u00a0", false, null, "text after the closing '}'"),
        new("indented-first-line", "\n {" + F4 + ", 'shape': (2, 3)}", false, null, "expected '{'"), // Python: unexpected indent
        new("lone-cr-before", "\r{" + F4 + ", 'shape': (2, 3)}", false, null, "expected '{'"),
        new("empty", "", false, null, "expected '{'"),
        new("missing-entry-comma", "{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}", false, null, "expected ',' or '}'"),
        new("double-comma-dict", "{" + F4 + ", 'shape': (2, 3),,}", false, null, "expected a quoted key"),
        new("fortran-not-bool", "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}", false, null, "fortran_order must be True or False"),
        new("lowercase-false", "{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3)}", false, null, "expected a value"),
        new("not-a-word", "{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2, 3)}", false, null, "expected a value"),
        new("python2-longs-v3", "{" + F4 + ", 'shape': (2L, 3L), }", false, null, "not a decimal integer", Version: 3),
        new("negative-dim", "{" + F4 + ", 'shape': (-2, -3)}", false, null, "expected a value"), // numpy: the header parses, np.load fails
        new("bool-dim", "{" + F4 + ", 'shape': (True, 6)}", false, null, "shape must be a tuple of integers"), // likewise ("an integer is required")
        // Accepted by numpy but refused by Gibbs: never written by numpy, and ambiguous or outside what we read.
        new("duplicate-key", "{" + F4 + ", 'shape': (2, 3), 'shape': (6,)}", true, null, "has the key 'shape' twice"), // numpy: the last wins, (6,)
        new("duplicate-descr", "{'descr': '<f8', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", true, null, "has the key 'descr' twice"),
        new("hex-dim", "{" + F4 + ", 'shape': (0x2, 3)}", true, null, "not a decimal integer"),
        new("plus-dim", "{" + F4 + ", 'shape': (+2, 3)}", true, null, "expected a value"),
        new("comment-after", "{" + F4 + ", 'shape': (2, 3)} # hi", true, null, "text after the closing '}'"),
        new("newline-before", "\n{" + F4 + ", 'shape': (2, 3)}", true, null, "expected '{'"),
        new("formfeed", "{'descr': '<f4',\f'fortran_order': False, 'shape': (2, 3)}", true, null, "expected a quoted key"),
        new("dtype-name", "{'descr': 'float32', 'fortran_order': False, 'shape': (2, 3)}", true, null, "dtype 'float32' is not supported"),
        new("structured", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,)}", true, null, "structured dtypes are not supported"),
        new("int-descr", "{'descr': 4, 'fortran_order': False, 'shape': (6,)}", false, null, "descr must be a dtype string"),
    ];

    private string Write(Case c)
    {
        var h = (c.Version == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(c.Header);
        var f = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)c.Version, 0 };
        var len = new byte[c.Version == 1 ? 2 : 4];
        if (c.Version == 1) BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)h.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)h.Length);
        var data = new byte[c.DataBytes];
        for (int i = 0; i + 4 <= data.Length; i += 4) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i), i / 4);
        var path = P(c.Name + ".npy");
        File.WriteAllBytes(path, [.. f, .. len, .. h, .. data]);
        return path;
    }

    [Fact]
    public void EveryHeaderCaseLoadsOrFailsAsRecorded()
    {
        foreach (var c in Cases)
        {
            var path = Write(c);
            using var scope = TensorScope.Begin();
            if (c.Shape is not null)
            {
                var t = Npy.Load(path);
                Assert.True(c.Shape.SequenceEqual(t.Shape.ToArray()), $"{c.Name}: shape {Tensor.Format(t.Shape)}");
                Assert.Equal(Enumerable.Range(0, t.Length).Select(i => (float)i), t.ToArray());
                continue;
            }
            var e = Assert.Throws<GibbsFormatException>(() => Npy.Load(path));
            Assert.True(e.Message.StartsWith(path + ": ", StringComparison.Ordinal) && e.Message.Contains(c.Error!, StringComparison.Ordinal), $"{c.Name}: {e.Message}");
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    [SkippableFact]
    public void NumpyAgreesWithTheRecordsAndNeverRejectsWhatGibbsReads()
    {
        Skip.IfNot(File.Exists("/usr/bin/python3"), "/usr/bin/python3 is not installed");
        foreach (var c in Cases) Write(c);
        const string script = """
            import json, sys, numpy as np
            out = {}
            for name in sys.argv[2:]:
                try: out[name] = list(np.load(f"{sys.argv[1]}/{name}.npy").shape)
                except Exception as e: out[name] = None
            print(json.dumps({"version": np.__version__, "cases": out}))
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", script, Dir }.Concat(Cases.Select(c => c.Name))) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Skip.If(stderr.Contains("No module named 'numpy'"), "python3-numpy is not installed (apt-get install python3-numpy)");
        Assert.True(p.ExitCode == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var version = doc.RootElement.GetProperty("version").GetString();
        foreach (var c in Cases)
        {
            var got = doc.RootElement.GetProperty("cases").GetProperty(c.Name);
            bool accepts = got.ValueKind == JsonValueKind.Array;
            Assert.True(accepts == c.Numpy, $"{c.Name}: numpy {version} {(accepts ? "accepts" : "rejects")} it, but the record (numpy 1.24.2) says otherwise");
            int[] gibbs;
            using (TensorScope.Begin())
                try { gibbs = Npy.Load(P(c.Name + ".npy")).Shape.ToArray(); }
                catch (GibbsFormatException) { continue; }
            Assert.True(accepts, $"{c.Name}: Gibbs reads a header numpy {version} rejects");
            Assert.Equal(gibbs, got.EnumerateArray().Select(x => x.GetInt32()).ToArray());
        }
    }
}
