package io.github.llavao1.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The GPU switch is a build choice: DJL's CPU native jar comes only with the default profile {@code cpu}, so that
 * {@code -Pcuda} builds without it (README.md, GPU; {@code mvn -Pcuda dependency:tree} shows it gone in every module).
 */
class NativeProfilesTest {

    private static final String CPU_JAR = "pytorch-native-cpu";

    @Test
    void theCpuNativeJarComesOnlyWithTheDefaultProfile() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        assertEquals(List.of(), nativeArtifacts(child(project, "dependencies")), "no native jar outside the profiles");

        Element cpu = profile(project, "cpu");
        assertEquals("true", child(child(cpu, "activation"), "activeByDefault").getTextContent().trim());
        assertEquals(List.of(CPU_JAR), nativeArtifacts(child(cpu, "dependencies")));

        Element cuda = profile(project, "cuda");
        Element cudaDependencies = child(cuda, "dependencies");
        assertTrue(cudaDependencies == null || !nativeArtifacts(cudaDependencies).contains(CPU_JAR), "-Pcuda brings no CPU natives");
    }

    private static Element profile(Element project, String id) {
        for (Element profile : children(child(project, "profiles"), "profile")) {
            if (child(profile, "id").getTextContent().trim().equals(id)) {
                return profile;
            }
        }
        throw new AssertionError("extension/pom.xml has no profile " + id);
    }

    private static List<String> nativeArtifacts(Element dependencies) {
        List<String> out = new ArrayList<>();
        for (Element dependency : children(dependencies, "dependency")) {
            String artifact = child(dependency, "artifactId").getTextContent().trim();
            if (artifact.startsWith("pytorch-native")) {
                out.add(artifact);
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }
}
