cmd_Release/mz_sm2.node := ln -f "Release/obj.target/mz_sm2.node" "Release/mz_sm2.node" 2>/dev/null || (rm -rf "Release/mz_sm2.node" && cp -af "Release/obj.target/mz_sm2.node" "Release/mz_sm2.node")
