using System.Buffers.Binary;
using System.Text;

namespace ComplianceHub.Cli.Scale;

/// <summary>
/// What a circuit has rendered, kept as blazor.web.js keeps the DOM, but only elements, their attributes and their event handler
/// ids: every render batch (RenderBatchWriter's binary format) is applied with the edit semantics of the browser's renderer
/// (prepend, remove, set and remove attribute, step in and out, permutations), each component's output in a container of its
/// own. A click then finds the button it wants by its accessible name and reads the handler id the button has now: MudBlazor's
/// buttons get a new one whenever they render again.
/// </summary>
internal sealed class RenderedTree
{
    private readonly Dictionary<int, Node> components = [];

    private sealed class Node(string? element)
    {
        public string? Element { get; } = element; // null: a component's container, a text or a markup block
        public List<Node> Children { get; } = [];
        public Node? Parent { get; set; }
        public Dictionary<string, string?> Attributes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, ulong> Handlers { get; } = new(StringComparer.Ordinal);
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
                if (child.Element is null)
                {
                    continue; // components are searched from their own containers
                }
                if (child.Attributes.GetValueOrDefault("aria-label") == label && child.Handlers.TryGetValue("onclick", out var id))
                {
                    return id;
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
                        var name = String(Int(edit + 12))!;
                        parent.Children[sibling].Attributes.Remove(name);
                        parent.Children[sibling].Handlers.Remove(name);
                        break;
                    case StepIn:
                        parent = parent.Children[sibling];
                        break;
                    case StepOut:
                        parent = parent.Parent!;
                        break;
                    case UpdateMarkup:
                        parent.Children[sibling] = new Node(null) { Parent = parent };
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
                    var element = new Node(String(Int(frame + 8))) { Parent = parent };
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
                    parent.Children.Insert(at, new Node(null) { Parent = parent });
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
            var name = String(Int(frame + 4))!;
            var handler = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(frame + 12));
            if (handler != 0)
            {
                element.Handlers[name] = handler;
                return;
            }
            var value = String(Int(frame + 8));
            if (value is null)
            {
                element.Attributes.Remove(name);
            }
            else
            {
                element.Attributes[name] = value;
            }
        }
    }

    private Node Container(int componentId)
    {
        if (!components.TryGetValue(componentId, out var container))
        {
            components[componentId] = container = new Node(null);
        }
        return container;
    }
}
