import Foundation
import TestSupport

/// A stand-in for GitHub's `gh` for the CI script tests: the scripts and recon are under test, this is
/// not. It answers the few `gh api` routes the scripts use from files under its folder (comments,
/// issues, seeded GET answers), applies `--jq` with the real jq, serves `gh run download` from seeded
/// artifacts, and logs every call, one line each.
final class FakeGitHub {
    let folder = TemporaryDirectory("fake-gh")
    var executable: String { folder.file("gh") }

    init() {
        folder.write("gh", Self.script)
        chmod(executable, 0o755)
        for name in ["comments", "issues", "api", "artifacts"] {
            try! FileManager.default.createDirectory(atPath: folder.file(name), withIntermediateDirectories: true)
        }
    }

    /// What the scripts need in their environment to call this fake.
    var environment: [String: String] { ["GH": executable, "FAKE_GH_DIR": folder.path] }

    var calls: [String] { (folder.read("calls.log") ?? "").split(separator: "\n").map(String.init) }

    /// The comments on pull request or issue `number`, oldest first: (id, body).
    func comments(on number: Int) -> [(id: Int, body: String)] {
        objects("comments/\(number)").map { ($0["id"] as! Int, $0["body"] as! String) }.sorted { $0.id < $1.id }
    }

    /// Every issue: (number, title, body, label names).
    func issues() -> [(number: Int, title: String, body: String, labels: [String])] {
        objects("issues").map { issue in
            let labels = (issue["labels"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            return (issue["number"] as! Int, issue["title"] as? String ?? "", issue["body"] as? String ?? "", labels)
        }.sorted { $0.number < $1.number }
    }

    /// Seeds the answer to `GET path` (no query).
    func answer(_ path: String, with json: String) { folder.write("api/\(path).json", json) }

    /// Seeds the artifact `name` of run `run` with `files` (name → full path to copy).
    func artifact(run: Int, name: String, files: [String: String]) throws {
        for (file, source) in files {
            let target = folder.file("artifacts/\(run)/\(name)/\(file)")
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: source, toPath: target)
        }
    }

    private func objects(_ relative: String) -> [[String: Any]] {
        folder.list(relative).filter { $0.hasSuffix(".json") }.compactMap { name in
            folder.data("\(relative)/\(name)").flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
    }

    private static let script = #"""
        #!/usr/bin/env bash
        # A fake gh for tests: see FakeGitHub.swift.
        set -euo pipefail
        store=${FAKE_GH_DIR:?}
        printf '%s\n' "$*" >> "$store/calls.log"
        next_id() { local n; n=$(( $(cat "$store/next-id" 2>/dev/null || echo 100) + 1 )); echo "$n" > "$store/next-id"; echo "$n"; }

        if [ "$1" = run ] && [ "${2:-}" = download ]; then
          run=$3; shift 3; name=; dir=.
          while [ $# -gt 0 ]; do
            case $1 in
              --name|-n) name=$2; shift 2 ;;
              --dir|-D) dir=$2; shift 2 ;;
              --repo|-R) shift 2 ;;
              *) echo "fake gh: unknown run download flag $1" >&2; exit 2 ;;
            esac
          done
          [ -d "$store/artifacts/$run/$name" ] || { echo "no artifact $name in run $run" >&2; exit 1; }
          mkdir -p "$dir"; cp -R "$store/artifacts/$run/$name/." "$dir/"; exit 0
        fi
        [ "$1" = api ] || { echo "fake gh: only 'api' and 'run download'" >&2; exit 2; }
        shift
        method=GET; path=; filter=.; body='{}'
        while [ $# -gt 0 ]; do
          case $1 in
            --method|-X) method=$2; shift 2 ;;
            --jq|-q) filter=$2; shift 2 ;;
            --paginate|--silent) shift ;;
            -f|--raw-field|-F|--field)
              key=${2%%=*}; value=${2#*=}
              if [[ $1 == -F || $1 == --field ]] && [[ $value == @* ]]; then
                body=$(jq --arg k "$key" --rawfile v "${value#@}" '. + {($k): $v}' <<< "$body")
              elif [[ $key == *'[]' ]]; then
                body=$(jq --arg k "${key%'[]'}" --arg v "$value" '.[$k] += [$v]' <<< "$body")
              else
                body=$(jq --arg k "$key" --arg v "$value" '. + {($k): $v}' <<< "$body")
              fi
              shift 2 ;;
            -*) echo "fake gh: unknown api flag $1" >&2; exit 2 ;;
            *) path=$1; shift ;;
          esac
        done
        route=${path%%\?*}
        respond() { jq -r "$filter" <<< "$1"; }
        case "$method $route" in
          "GET repos/"*"/issues/"*"/comments")
            n=${route%/comments}; n=${n##*/}
            respond "$(cat "$store/comments/$n/"*.json 2>/dev/null | jq -s 'sort_by(.id)')" ;;
          "POST repos/"*"/issues/"*"/comments")
            n=${route%/comments}; n=${n##*/}; id=$(next_id); mkdir -p "$store/comments/$n"
            jq --argjson id "$id" --arg user "${FAKE_GH_USER:-github-actions[bot]}" '. + {id: $id, user: {login: $user}}' <<< "$body" > "$store/comments/$n/$id.json"
            respond "$(cat "$store/comments/$n/$id.json")" ;;
          "PATCH repos/"*"/issues/comments/"*)
            id=${route##*/}; file=$(ls "$store"/comments/*/"$id".json)
            jq --argjson new "$body" '. * $new' "$file" > "$file.new"; mv "$file.new" "$file"
            respond "$(cat "$file")" ;;
          "GET repos/"*"/issues")
            label=$(sed -n 's/.*[?&]labels=\([^&]*\).*/\1/p' <<< "$path")
            respond "$(cat "$store/issues/"*.json 2>/dev/null | jq -s --arg want "$label" '[.[] | select(.state == "open" and any(.labels[]; .name == $want))] | sort_by(.number)')" ;;
          "POST repos/"*"/issues")
            number=$(next_id)
            jq --argjson n "$number" '. + {number: $n, state: "open", labels: ((.labels // []) | map({name: .}))}' <<< "$body" > "$store/issues/$number.json"
            respond "$(cat "$store/issues/$number.json")" ;;
          "PATCH repos/"*"/issues/"*)
            file="$store/issues/${route##*/}.json"
            jq --argjson new "$body" '. * $new' "$file" > "$file.new"; mv "$file.new" "$file"
            respond "$(cat "$file")" ;;
          "GET "*)
            [ -f "$store/api/$route.json" ] || { echo "fake gh: 404 $route" >&2; exit 1; }
            respond "$(cat "$store/api/$route.json")" ;;
          *) echo "fake gh: no route for $method $route" >&2; exit 2 ;;
        esac
        """#
}
