package fr.spie.connector.caf;

import java.util.ArrayList;
import java.util.List;

/** A tiny read-only element tree for one InfosFoyerRSA subtree (dropped once the household is mapped). */
final class XmlNode {
    final String name;
    String text = "";
    private List<XmlNode> children;

    XmlNode(String name) {
        this.name = name;
    }

    void add(XmlNode child) {
        if (children == null) {
            children = new ArrayList<>(4);
        }
        children.add(child);
    }

    List<XmlNode> children() {
        return children == null ? List.of() : children;
    }

    /** First child with this name, or null. */
    XmlNode child(String childName) {
        if (children != null) {
            for (XmlNode c : children) {
                if (c.name.equals(childName)) {
                    return c;
                }
            }
        }
        return null;
    }

    List<XmlNode> all(String childName) {
        List<XmlNode> out = new ArrayList<>(2);
        if (children != null) {
            for (XmlNode c : children) {
                if (c.name.equals(childName)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Follows a path of child names; null when any step is missing. */
    XmlNode at(String... path) {
        XmlNode n = this;
        for (String p : path) {
            n = n.child(p);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** Trimmed text at a path, or null when the element is missing or empty. */
    String text(String... path) {
        XmlNode n = at(path);
        if (n == null || n.text.isEmpty()) {
            return null;
        }
        return n.text;
    }
}
