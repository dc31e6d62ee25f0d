# xroute build. Plain GNU make: every module under src/ becomes a static
# library from the .c files it holds, so adding a file needs no edit here.
#
#   make                 release build in build/
#   make SAN=1           ASan + UBSan build in build-san/
#   make check           build, then run the whole test suite (tests/run)
#   make fuzz            libFuzzer targets (clang) in build-fuzz/
#   make fuzz-long       run each fuzz target for FUZZ_SECONDS (default 600)
#   make fuzz-afl        the same fuzz targets for AFL++ in build-afl/

.DEFAULT_GOAL := all
CC       ?= gcc
SAN      ?= 0
PKGLIBS  := -lmnl -ljansson -lmicrohttpd -lsqlite3 -lpthread -lm

ifeq ($(SAN),1)
BUILD    ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
OPT      := -O1
else
BUILD    ?= build
SANFLAGS :=
OPT      := -O2
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
            -Wmissing-prototypes -Wno-unused-parameter
CFLAGS   ?= $(OPT) -g
ALLCFLAGS = -std=gnu11 -D_GNU_SOURCE -Isrc $(WARN) $(SANFLAGS) $(CFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)

# Lower modules last so static linking resolves upward references.
MODULES  := daemon reconcile api metrics ctl er store bfd fib policy mrt bmp session rib wire lib
LIBS     := $(foreach m,$(MODULES),$(if $(wildcard src/$(m)/*.c),$(BUILD)/libxr_$(m).a))
LINKLIBS := -Wl,--start-group $(LIBS) -Wl,--end-group $(PKGLIBS)

define module_rules
$(1)_SRC := $$(filter-out src/$(1)/main.c,$$(wildcard src/$(1)/*.c))
$(1)_OBJ := $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_SRC))
$(BUILD)/libxr_$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	@rm -f $$@
	$(AR) rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TOOL_SRC  := $(wildcard bench/tools/*.c tests/tools/*.c)
TOOL_BIN  := $(patsubst %.c,$(BUILD)/%,$(TOOL_SRC))

PROGS := $(if $(wildcard src/daemon/main.c),$(BUILD)/xrouted) \
         $(if $(wildcard cli/*.c),$(BUILD)/xrctl)

all: $(PROGS) $(UNIT_BIN) $(TOOL_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

# Roles declared weak in src/daemon/roles.h live in static archives; a
# weak reference does not pull an archive member, so name them here.
comma := ,
ROLE_SYMS := $(if $(wildcard src/api/api_role.c),-Wl$(comma)-u$(comma)api_role_main)
$(BUILD)/xrouted: $(BUILD)/obj/src/daemon/main.o $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $< $(ROLE_SYMS) $(LINKLIBS)

CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cli/*.c))
$(BUILD)/xrctl: $(CLI_OBJ) $(LIBS)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LINKLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LINKLIBS)

$(BUILD)/%: $(BUILD)/obj/%.o $(LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LINKLIBS)

# libFuzzer: each tests/fuzz/fuzz_*.c links against every module's
# sources, compiled once by clang into build-fuzz/obj (coverage
# instrumentation without libFuzzer's main) and shared by all targets.
FUZZ_CC   := clang
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRC))
FUZZ_LIBSRC := $(foreach m,$(MODULES),$(filter-out src/$(m)/main.c,$(wildcard src/$(m)/*.c)))
FUZZ_OBJ  := $(patsubst %.c,build-fuzz/obj/%.o,$(FUZZ_LIBSRC))
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Isrc -g -O1 \
              -fno-sanitize-recover=undefined -DXR_FUZZ -MMD -MP
fuzz: $(FUZZ_BIN)
build-fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(PKGLIBS)

# AFL++: the same harnesses, compiled by afl-clang-fast; -fsanitize=fuzzer
# there links AFL++'s libFuzzer-compatible driver (libAFLDriver), so each
# binary runs under afl-fuzz (docs/fuzzing.md). The library is compiled
# once into build-afl/obj and shared by every target.
AFL_CC   ?= afl-clang-fast
AFL_BIN  := $(patsubst tests/fuzz/%.c,build-afl/%,$(FUZZ_SRC))
AFL_OBJ  := $(patsubst %.c,build-afl/obj/%.o,$(FUZZ_LIBSRC))
fuzz-afl: $(AFL_BIN)
build-afl/obj/%.o: %.c
	@mkdir -p $(@D)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) -fsanitize=address,undefined -c -o $@ $<
build-afl/fuzz_%: tests/fuzz/fuzz_%.c $(AFL_OBJ)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(AFL_OBJ) $(PKGLIBS)

FUZZ_SECONDS ?= 600
fuzz-long: fuzz
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); \
	  mkdir -p build-fuzz/corpus-$$n; \
	  $$f -max_total_time=$(FUZZ_SECONDS) build-fuzz/corpus-$$n tests/fuzz/corpus/$${n#fuzz_} || exit 1; done

check: all
	tests/run

clean:
	rm -rf build build-san build-fuzz build-afl

.PHONY: all check clean fuzz fuzz-afl fuzz-long
.SECONDARY:
-include $(shell find $(BUILD)/obj build-fuzz/obj build-afl/obj -name '*.d' 2>/dev/null)
