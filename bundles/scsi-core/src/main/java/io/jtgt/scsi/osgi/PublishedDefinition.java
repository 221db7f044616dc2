package io.jtgt.scsi.osgi;

import io.jtgt.scsi.config.ConfigException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * What one factory configuration has put into the target service, keyed by the definition's
 * identity (a deviceID, a target name). Shared by the storage and target components: a valid
 * configuration replaces what was there (withdrawing the old key first when it changed); an
 * invalid one is logged once, naming field and value, and withdraws only this object.
 *
 * @param <K> the identity of a definition
 * @param <D> the definition type
 */
final class PublishedDefinition<K, D> {

    private final Function<Map<String, Object>, D> parse;
    private final Function<D, K> key;
    private final Consumer<D> put;
    private final Consumer<K> remove;
    private final Logger log;
    private K current;

    PublishedDefinition(Function<Map<String, Object>, D> parse, Function<D, K> key, Consumer<D> put,
            Consumer<K> remove, Logger log) {
        this.parse = parse;
        this.key = key;
        this.put = put;
        this.remove = remove;
        this.log = log;
    }

    synchronized void apply(Map<String, Object> properties) {
        D definition;
        try {
            definition = parse.apply(properties);
        } catch (ConfigException e) {
            log.error("configuration {} ignored: {}", properties.get("service.pid"), e.getMessage());
            withdraw();
            return;
        }
        K newKey = key.apply(definition);
        if (current != null && !Objects.equals(current, newKey)) {
            remove.accept(current);
        }
        current = newKey;
        put.accept(definition);
    }

    synchronized void withdraw() {
        if (current != null) {
            remove.accept(current);
            current = null;
        }
    }
}
