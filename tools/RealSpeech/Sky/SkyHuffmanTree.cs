// The code tree of Beneath a Steel Sky's subtitles. The game's text is Huffman-coded with a tree that is not in the
// data files: the game's executable carried it, and on Debian the ScummVM binary (the package the game's Debian
// package is played with) carries one per game version as a table of 3-byte nodes {left child, right child, value}:
// node 0 is the root, children come after their parent, a leaf has no children and holds a character (0 ends a
// line). This reads such tables out of a binary; the caller picks the one that decodes its data disk's text
// (SteelSkyDialogue). Nothing of the binary is stored or shipped.
namespace DgTools.RealSpeech.Sky;

public sealed class SkyHuffmanTree
{
    private readonly byte[] _left, _right, _value;

    public SkyHuffmanTree(ReadOnlySpan<byte> nodes)
    {
        if (nodes.Length % 3 != 0 || nodes.Length == 0) throw new ArgumentException("a node table is a multiple of 3 bytes");
        int n = nodes.Length / 3;
        (_left, _right, _value) = (new byte[n], new byte[n], new byte[n]);
        for (int i = 0; i < n; i++) (_left[i], _right[i], _value[i]) = (nodes[3 * i], nodes[3 * i + 1], nodes[3 * i + 2]);
    }

    public int NodeCount => _left.Length;

    public int LeafCount => Enumerable.Range(0, NodeCount).Count(IsLeaf);

    private bool IsLeaf(int i) => _left[i] == 0 && _right[i] == 0;

    /// <summary>One character: walk from the root, 1 = right child, 0 = left child, until a leaf.</summary>
    public byte Decode(Func<int> nextBit)
    {
        int node = 0;
        do node = nextBit() != 0 ? _right[node] : _left[node];
        while (!IsLeaf(node));
        return _value[node];
    }

    /// <summary>Every node table in <paramref name="binary"/> that forms one complete tree of at least
    /// <paramref name="minLeaves"/> leaves, in the order found.</summary>
    public static List<SkyHuffmanTree> FindIn(ReadOnlySpan<byte> binary, int minLeaves = 60)
    {
        var trees = new List<SkyHuffmanTree>();
        for (int at = 0; at + 6 <= binary.Length; at++)
        {
            // Root {1, r, 0} then node 1 {2, r', 0}: both inner nodes whose left child is the next node.
            if (binary[at] != 1 || binary[at + 2] != 0 || binary[at + 3] != 2 || binary[at + 5] != 0) continue;
            int count = TreeSize(binary[at..], minLeaves);
            if (count == 0) continue;
            trees.Add(new SkyHuffmanTree(binary.Slice(at, 3 * count)));
            at += 3 * count - 1;
        }
        return trees;
    }

    /// <summary>The node count of a well-formed tree starting at <paramref name="table"/>, or 0.</summary>
    private static int TreeSize(ReadOnlySpan<byte> table, int minLeaves)
    {
        Span<bool> seen = stackalloc bool[256];
        Span<int> stack = stackalloc int[256];
        int top = 0, visited = 0, maxIndex = 0, leaves = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            int i = stack[--top];
            if (seen[i] || 3 * i + 3 > table.Length) return 0;
            seen[i] = true;
            visited++;
            int l = table[3 * i], r = table[3 * i + 1], v = table[3 * i + 2];
            if (l == 0 && r == 0) { leaves++; continue; }
            if (v != 0 || l <= i || r <= i || l == r || top + 2 > stack.Length) return 0;
            stack[top++] = l;
            stack[top++] = r;
            maxIndex = Math.Max(maxIndex, Math.Max(l, r));
        }
        return visited == maxIndex + 1 && leaves >= minLeaves ? visited : 0;
    }
}
