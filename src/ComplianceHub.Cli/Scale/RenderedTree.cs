using System.Buffers.Binary;
using System.Text;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// What a circuit has rendered, kept as blazor.web.js keeps the DOM, but only the elements, their accessible names and their click
/// handler ids: every render batch (RenderBatchWriter's binary format) is applied with the edit semantics of the browser's renderer
/// (prepend, remove, set and remove attribute, step in and out, permutations), each component's output in a container of its
/// own. A click then finds the button it wants by its accessible name and reads the handler id the button has now: MudBlazor's
/// buttons get a new one whenever they render again.
/// </summary>
internal sealed class RenderedTree
{
    private readonly Dictionary<int, Node> components = [];

    // Only what a click needs, so that 500 circuits' trees stay small in the bench process: an element's accessible name and
    // its click handler; text and markup are placeholders that keep the sibling indexes right.
    private sealed class Node(bool element)
    {
        public bool IsElement { get; } = element; // false: a component's container, a text or a markup block
        public List<Node> Children => children ??= [];
        public Node? Parent { get; set; }
        public string? Label { get; set; }
        public ulong Click { get; set; }
        private List<Node>? children;
    }

    // RenderTreeFrameType and RenderTreeEditType values, as blazor.web.js reads them.
    private const int Element = 1, Attribute = 3, Component = 4, Region = 5, ElementReferenceCapture = 6, Markup = 8;
    private const int Prepend = 1, Remove = 2, SetAttribute = 3, RemoveAttribute = 4, StepIn = 6, StepOut = 7, UpdateMarkup = 8,
        PermutationEntry = 9, PermutationEnd = 10;

    /// <summary>The current click handler id of the element whose <c>aria-label</c> is <paramref name="label"/>, if rendered.</summary>
    public ulong? ClickHandler(string label)
    {
        foreach (var container in components.Values)
        {
            if (Find(container, label) is { } id)
            {
                return id;
            }
        }
        return null;

        static ulong? Find(Node node, string label)
        {
            foreach (var child in node.Children)
            {
                if (!child.IsElement)
                {
                    continue; // components are searched from their own containers
                }
                if (child.Click != 0 && child.Label == label)
                {
                    return child.Click;
                }
                if (Find(child, label) is { } inner)
                {
                    return inner;
                }
            }
            return null;
        }
    }

    public void Apply(byte[] data) => new Batch(this, data).Apply();

    private readonly struct Batch(RenderedTree tree, byte[] data)
    {
        private int Int(int at) => BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at));

        private int FramesAt => Int(data.Length - 16) + 4;

        private int Frame(int index) => FramesAt + 20 * index;

        private string? String(int index)
        {
            if (index < 0)
            {
                return null;
            }
            var at = Int(Int(data.Length - 4) + 4 * index);
            var length = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[at++];
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }
            return Encoding.UTF8.GetString(data, at, length);
        }

        public void Apply()
        {
            var updated = Int(data.Length - 20);
            for (var d = 0; d < Int(updated); d++)
            {
                var diff = Int(updated + 4 + 4 * d);
                var container = tree.Container(Int(diff));
                ApplyEdits(container, diff + 4);
            }
            var disposed = Int(data.Length - 12);
            for (var i = 0; i < Int(disposed); i++)
            {
                tree.components.Remove(Int(disposed + 4 + 4 * i));
            }
        }

        private void ApplyEdits(Node parent, int edits)
        {
            List<(int From, int To)>? permutation = null;
            for (var i = 0; i < Int(edits); i++)
            {
                var edit = edits + 4 + 16 * i;
                var (type, sibling, reference) = (Int(edit), Int(edit + 4), Int(edit + 8));
                switch (type)
                {
                    case Prepend:
                        Insert(parent, sibling, reference);
                        break;
                    case Remove:
                        parent.Children.RemoveAt(sibling);
                        break;
                    case SetAttribute:
                        SetAttributeOn(parent.Children[sibling], Frame(reference));
                        break;
                    case RemoveAttribute:
                        var removed = parent.Children[sibling];
                        switch (String(Int(edit + 12)))
                        {
                            case "aria-label":
                                removed.Label = null;
                                break;
                            case "onclick":
                                removed.Click = 0;
                                break;
                        }
                        break;
                    case StepIn:
                        parent = parent.Children[sibling];
                        break;
                    case StepOut:
                        parent = parent.Parent!;
                        break;
                    case UpdateMarkup:
                        parent.Children[sibling] = new Node(false) { Parent = parent };
                        break;
                    case PermutationEntry:
                        (permutation ??= []).Add((sibling, reference));
                        break;
                    case PermutationEnd:
                        var before = parent.Children.ToArray();
                        foreach (var (from, to) in permutation ?? [])
                        {
                            parent.Children[to] = before[from];
                        }
                        permutation = null;
                        break;
                    default: // UpdateText: text is not kept
                        break;
                }
            }
        }

        /// <summary>Inserts frame <paramref name="index"/> at <paramref name="at"/>; returns how many children it added (a region adds its own).</summary>
        private int Insert(Node parent, int at, int index)
        {
            var frame = Frame(index);
            switch (Int(frame))
            {
                case Element:
                    var element = new Node(true) { Parent = parent };
                    var end = index + Int(frame + 4);
                    var child = index + 1;
                    for (; child < end && Int(Frame(child)) == Attribute; child++)
                    {
                        SetAttributeOn(element, Frame(child));
                    }
                    InsertRange(element, 0, child, end);
                    parent.Children.Insert(at, element);
                    return 1;
                case Component:
                    var container = tree.Container(Int(frame + 8));
                    container.Parent = parent;
                    parent.Children.Insert(at, container);
                    return 1;
                case Region:
                    return InsertRange(parent, at, index + 1, index + Int(frame + 4));
                case ElementReferenceCapture:
                case 10: // a named event (forms rendered statically)
                    return 0;
                default: // text or markup
                    parent.Children.Insert(at, new Node(false) { Parent = parent });
                    return 1;
            }
        }

        private int InsertRange(Node parent, int at, int start, int end)
        {
            var added = 0;
            for (var index = start; index < end; index++)
            {
                var frame = Frame(index);
                added += Insert(parent, at + added, index);
                if (Int(frame) is Element or Component or Region)
                {
                    index += Int(frame + 4) - 1;
                }
            }
            return added;
        }

        private void SetAttributeOn(Node element, int frame)
        {
            switch (String(Int(frame + 4)))
            {
                case "aria-label":
                    element.Label = String(Int(frame + 8));
                    break;
                case "onclick":
                    element.Click = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(frame + 12));
                    break;
            }
        }
    }

    private Node Container(int componentId)
    {
        if (!components.TryGetValue(componentId, out var container))
        {
            components[componentId] = container = new Node(false);
        }
        return container;
    }
}
